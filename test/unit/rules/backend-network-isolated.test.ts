import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/compose/backend-network-isolated';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('backend-network-isolated', () => {
  it('flags a database on the default network with a proxy that publishes ports', () => check(`
    services:
      proxy:
        image: nginx:1.27
        ports: ["80:80"]
        depends_on: [app]
      app:
        build: .
        depends_on: [db]
      db:
      ~~ backend-network-isolated
        image: postgres:16.4
  `));

  it('flags a named network shared with an off-the-shelf image that does not use the database', () => check(`
    services:
      mailpit:
        image: axllent/mailpit:v1.21
        ports: ["8025:8025"]
        networks: [back]
      worker:
        image: acme/worker:1
        environment:
          REDIS_URL: redis://cache:6379/0
        networks: [back]
      cache:
      ~~~~~ backend-network-isolated
        image: redis:7.4
        networks: [back]
    networks:
      back: {}
  `));

  it('accepts publishers that use the database, however they name it', () => check(`
    services:
      app:
        image: acme/app:1
        ports: ["8000:8000"]
        depends_on: [db]
      admin:
        image: adminer:4.8.1
        ports: ["8080:8080"]
      metabase:
        image: metabase/metabase:v0.50.0
        ports: ["3000:3000"]
        environment:
          MB_DB_CONNECTION_URI: postgres://metabase@database:5432/metabase
      legacy:
        image: acme/legacy:1
        ports: ["9000:9000"]
        links: ["db:database"]
      configured:
        image: acme/configured:1
        ports: ["9100:9100"]
        environment:
          - DB_HOST
      unresolved:
        image: acme/unresolved:1
        ports: ["9200:9200"]
        environment:
          DATABASE_URL: \${DATABASE_URL}
      db:
        image: postgres:16.4
        networks:
          default:
            aliases: [database]
  `));

  it('does not count services built from the project, which may use the database from their code', () => check(`
    services:
      web:
        build: .
        ports: ["8000:8000"]
      cache:
        image: redis:7.4
  `));

  it('skips databases that publish their own port, and publishers bound to loopback or on other networks', () => check(`
    services:
      proxy:
        image: traefik:v3.2
        ports: ["127.0.0.1:8080:80", "[::1]:8443:443"]
      gateway:
        image: nginx:1.27
        ports: ["80:80"]
        networks: [front]
      db:
        image: postgres:16.4
      cache:
        image: redis:7.4
        ports: ["6379:6379"]
      host:
        image: nginx:1.27
        network_mode: host
    networks:
      front: {}
  `));

  it('names the publishers and the network in the message', () => {
    const [finding] = findingsOf(rule, 'compose', dedent(`
      services:
        proxy:
          image: nginx:1.27
          ports: ["80:80"]
        db:
          image: mariadb:11.4
    `));
    assert.match(finding.message, /`db` \(mariadb\) shares the `default` network with `proxy`, which publishes ports but does not use it/);
    assert.match(finding.message, /`internal: true`/);
  });

  it('fix: moves the database and its clients to an internal network, as a quick fix only', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        proxy:
          image: nginx:1.27
          ports: ["80:80"]
        app:
          build: .
          depends_on: [db]
          networks:
            - default
        worker:
          image: acme/worker:1
          environment:
            DATABASE_HOST: db
        db:
          image: postgres:16.4
      volumes:
        data: {}
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, dedent(`
      services:
        proxy:
          image: nginx:1.27
          ports: ["80:80"]
        app:
          build: .
          depends_on: [db]
          networks:
            - default
            - backend
        worker:
          image: acme/worker:1
          environment:
            DATABASE_HOST: db
          networks: [default, backend]
        db:
          image: postgres:16.4
          networks: [backend]
      volumes:
        data: {}
      networks:
        backend:
          internal: true
    `));
  });

  it('fix: reuses an internal backend network and adds to a networks mapping', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        proxy:
          image: nginx:1.27
          ports: ["80:80"]
        app:
          image: acme/app:1
          depends_on: [cache]
          networks:
            default: {}
        cache:
          image: redis:7.4
      networks:
        backend:
          internal: true
    `);
    assert.equal(fixed?.text, dedent(`
      services:
        proxy:
          image: nginx:1.27
          ports: ["80:80"]
        app:
          image: acme/app:1
          depends_on: [cache]
          networks:
            default: {}
            backend: {}
        cache:
          image: redis:7.4
          networks: [backend]
      networks:
        backend:
          internal: true
    `));
  });

  it('offers no fix when the database picks its own networks, or a backend network is not internal', () => {
    assert.equal(applyFix(rule, 'compose', `
      services:
        proxy:
          image: nginx:1.27
          ports: ["80:80"]
          networks: [front]
        db:
          image: postgres:16.4
          networks: [front, back]
      networks:
        front: {}
        back: {}
    `), undefined);
    assert.equal(applyFix(rule, 'compose', `
      services:
        proxy:
          image: nginx:1.27
          ports: ["80:80"]
        db:
          image: postgres:16.4
      networks:
        backend: {}
    `), undefined);
  });
});

describe('backend-network-isolated across the merged project', () => {
  it('sees a proxy that the override file adds, and reports on the database where it is defined', () => {
    checkRule(rule, 'compose', `
      services:
        app:
          build: .
          depends_on: [db]
        db:
        ~~ backend-network-isolated
          image: postgres:16.4
    `, { files: { '/work/compose.override.yaml': 'services:\n  proxy:\n    image: caddy:2.8\n    ports: ["443:443"]\n' } });
    checkRule(rule, 'compose', `
      services:
        proxy:
          image: caddy:2.8
          ports: ["443:443"]
    `, { path: '/work/compose.override.yaml', files: { '/work/compose.yaml': 'services:\n  db:\n    image: postgres:16.4\n' } });
  });

  it('recognises a proxy built FROM a proxy image', () => {
    checkRule(rule, 'compose', `
      services:
        proxy:
          build: ./proxy
          ports: ["80:80"]
        db:
        ~~ backend-network-isolated
          image: postgres:16.4
    `, { files: { '/work/proxy/Dockerfile': 'FROM nginx:1.27-alpine\nCOPY nginx.conf /etc/nginx/conf.d/default.conf\n' } });
  });
});
