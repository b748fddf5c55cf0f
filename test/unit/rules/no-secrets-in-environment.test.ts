import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule, { analyseValue, isSecretName } from '../../../server/src/rules/compose/no-secrets-in-environment';
import { applyFix, checkRule, dedent, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'compose', text);

describe('no-secrets-in-environment', () => {
  it('flags literal credentials in the mapping and list forms, on the value', () => check(`
    services:
      db:
        image: postgres:16.4
        environment:
          POSTGRES_USER: app
          POSTGRES_PASSWORD: "s3cret-pw"
                             ~~~~~~~~~~~ no-secrets-in-environment
      app:
        image: acme/app:1
        environment:
          - DJANGO_SECRET_KEY=changeme
            ~~~~~~~~~~~~~~~~~~~~~~~~~~ no-secrets-in-environment
          - EventBusPassword=guest
            ~~~~~~~~~~~~~~~~~~~~~~ no-secrets-in-environment
          - STRIPE_API_KEY=abc123def456
            ~~~~~~~~~~~~~~~~~~~~~~~~~~~ no-secrets-in-environment
  `));

  it('accepts references, files, flags, empty values and names that only describe a credential', () => check(`
    services:
      app:
        image: acme/app:1
        environment:
          DB_PASSWORD: \${DB_PASSWORD}
          API_TOKEN: "\${API_TOKEN:?set API_TOKEN}"
          REDIS_PASSWORD: $REDIS_PASSWORD
          POSTGRES_PASSWORD_FILE: /run/secrets/db_password
          DATABASE_PASSWORD: /run/secrets/db-password
          MYSQL_ALLOW_EMPTY_PASSWORD: "yes"
          MARIADB_RANDOM_ROOT_PASSWORD: "true"
          SMTP_PASSWORD: ""
          SES_PASSWORD:
          AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE
          PASSWORD_RESET_URL: https://example.com/reset
          TOKEN_EXPIRY: "3600"
          PASSWORD_MIN_LENGTH: "12"
          SESSION_SECRET_FILE: ./secrets/session
          FILE__ADMIN_PASSWORD: /run/secrets/admin
          ADMIN_PASSWORD: "{{ vault_admin_password }}"
          PWD: /app
        env_file: .env
      worker:
        image: acme/worker:1
        environment:
          - DB_PASSWORD
          - API_KEY=\${API_KEY}
  `));

  it('flags a literal fallback behind a variable, and a password inside a URL or connection string', () => check(`
    services:
      app:
        image: acme/app:1
        environment:
          POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:-postgres}
                             ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ no-secrets-in-environment
          DATABASE_URL: postgres://app:hunter2@db:5432/app
                        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ no-secrets-in-environment
          CACHE_URL: redis://:\${REDIS_PASSWORD}@cache:6379
          ConnectionString: "Server=sql;User Id=sa;Password=Pass@word1;"
                            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ no-secrets-in-environment
  `));

  it('flags a value that looks like a real token whatever the variable is called', () => check(`
    services:
      bot:
        image: acme/bot:1
        environment:
          GH: ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789
              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ no-secrets-in-environment
  `));

  it('masks the credential in the message, so that CI logs do not print it', () => {
    const findings = findingsOf(rule, 'compose', dedent(`
      services:
        db:
          image: postgres:16.4
          environment:
            POSTGRES_PASSWORD: correct-horse-battery
        bot:
          image: acme/bot:1
          environment:
            GITHUB_TOKEN: ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789
    `));
    assert.equal(findings.length, 2);
    assert.match(findings[0].message, /`db` sets `POSTGRES_PASSWORD` to a literal value \(`co\*{6}`\)/);
    assert.match(findings[0].message, /set `POSTGRES_PASSWORD_FILE` to a Compose secret/);
    assert.match(findings[1].message, /looks like a real GitHub token \(`gh\*{6}`\)/);
    for (const f of findings) assert.doesNotMatch(f.message, /horse|aBcDeF/);
  });

  it('flags credentials passed as build arguments, literal or not, which end up in the image history', () => check(`
    services:
      app:
        build:
          context: .
          args:
            NPM_TOKEN: \${NPM_TOKEN}
                       ~~~~~~~~~~~~ no-secrets-in-environment
            NODE_VERSION: "22"
      api:
        build:
          context: ./api
          args:
            - PIP_INDEX_PASSWORD=letmein
              ~~~~~~~~~~~~~~~~~~~~~~~~~~ no-secrets-in-environment
            - GITHUB_TOKEN
              ~~~~~~~~~~~~ no-secrets-in-environment
  `));

  it('skips a build argument the Dockerfile does not declare', () => {
    checkRule(rule, 'compose', `
      services:
        app:
          build:
            context: .
            args:
              NPM_TOKEN: \${NPM_TOKEN}
              SENTRY_AUTH_TOKEN: \${SENTRY_AUTH_TOKEN}
                                 ~~~~~~~~~~~~~~~~~~~~ no-secrets-in-environment
    `, { files: { '/work/Dockerfile': 'FROM node:22-alpine\nARG SENTRY_AUTH_TOKEN\nRUN npx sentry-cli releases new 1.0\n' } });
  });

  it('reads variable names and values the way the rule documents', () => {
    for (const name of ['DB_PASSWORD', 'db_passwd', 'EventBusPassword', 'API_KEY', 'OPENAI_APIKEY', 'AWS_SECRET_ACCESS_KEY', 'JWT_PRIVATE_KEY', 'SECRET_KEY_BASE', 'GITHUB_TOKEN', 'RABBITMQ_DEFAULT_PASS', 'CALENDSO_ENCRYPTION_KEY']) {
      assert.ok(isSecretName(name), name);
    }
    for (const name of ['AWS_ACCESS_KEY_ID', 'POSTGRES_PASSWORD_FILE', 'TOKEN_URL', 'PASSWORD_RESET_URL', 'SECRET_KEY_ID', 'PUBLIC_KEY', 'POSTGRES_HOST_AUTH_METHOD', 'PWD', 'KEYCLOAK_USER', 'BYPASS_CACHE']) {
      assert.ok(!isSecretName(name), name);
    }
    assert.deepEqual(analyseValue('a$$b'), { kind: 'literal', value: 'a$b' });
    assert.deepEqual(analyseValue('${PW:-x}'), { kind: 'default', variable: 'PW', value: 'x', operator: ':-' });
    assert.deepEqual(analyseValue('${PW:?missing}'), { kind: 'reference', variable: 'PW' });
    assert.deepEqual(analyseValue('pre${PW}'), { kind: 'other' });
  });

  it('fix: moves an official database image to its _FILE variable and a secret file', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        db:
          image: postgres:16.4
          environment:
            POSTGRES_USER: app
            POSTGRES_PASSWORD: s3cret-pw
          restart: always
      volumes:
        data: {}
    `, { files: {} });
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.title, 'Read `POSTGRES_PASSWORD` from a secret file (`POSTGRES_PASSWORD_FILE`)');
    assert.equal(fixed?.text, dedent(`
      services:
        db:
          image: postgres:16.4
          environment:
            POSTGRES_USER: app
            POSTGRES_PASSWORD_FILE: /run/secrets/db_postgres_password
          restart: always
          secrets: [db_postgres_password]
      volumes:
        data: {}
      secrets:
        db_postgres_password:
          file: ./secrets/db_postgres_password.txt
    `));
    assert.deepEqual(fixed?.createFiles, [{ path: '/work/secrets/db_postgres_password.txt', text: 's3cret-pw' }]);
  });

  it('fix: keeps the list form and merges into existing secrets', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        db:
          image: mysql:8.4
          environment:
            - MYSQL_ROOT_PASSWORD=rootpw
          secrets:
            - other
      secrets:
        other:
          file: ./other.txt
    `, { files: {} });
    assert.equal(fixed?.text, dedent(`
      services:
        db:
          image: mysql:8.4
          environment:
            - MYSQL_ROOT_PASSWORD_FILE=/run/secrets/db_mysql_root_password
          secrets:
            - other
            - db_mysql_root_password
      secrets:
        other:
          file: ./other.txt
        db_mysql_root_password:
          file: ./secrets/db_mysql_root_password.txt
    `));
  });

  it('offers no _FILE fix when a healthcheck reads the variable, or for images without _FILE support', () => {
    assert.equal(applyFix(rule, 'compose', `
      services:
        db:
          image: mysql:8.4
          environment:
            MYSQL_ROOT_PASSWORD: rootpw
          healthcheck:
            test: ["CMD-SHELL", "mysqladmin ping -p$$MYSQL_ROOT_PASSWORD"]
    `, { files: {} }), undefined);
    assert.equal(applyFix(rule, 'compose', `
      services:
        app:
          image: acme/app:1
          environment:
            API_KEY: abc123def456
    `, { files: {} }), undefined);
  });

  it('fix: requires the variable instead of falling back to a literal', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        app:
          image: acme/app:1
          environment:
            - DB_PASSWORD=\${DB_PASSWORD:-postgres}
    `);
    assert.equal(fixed?.safe, false);
    assert.equal(fixed?.text, 'services:\n  app:\n    image: acme/app:1\n    environment:\n      - DB_PASSWORD=${DB_PASSWORD:?DB_PASSWORD must be set}\n');
  });

  it('fix: passes a build argument as a build secret from the same variable', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        app:
          build:
            context: .
            args:
              NPM_TOKEN: \${NPM_TOKEN}
    `);
    assert.equal(fixed?.safe, false);
    assert.match(fixed!.title, /RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN/);
    assert.equal(fixed?.text, dedent(`
      services:
        app:
          build:
            context: .
            secrets: [npm_token]
      secrets:
        npm_token:
          environment: NPM_TOKEN
    `));
  });

  it('fix: moves a literal build argument to a secret file and keeps the other arguments', () => {
    const fixed = applyFix(rule, 'compose', `
      services:
        app:
          build:
            context: .
            args:
              NODE_VERSION: "22"
              NPM_TOKEN: npm_abc
          ports: ["3000:3000"]
    `, { files: {} });
    assert.equal(fixed?.text, dedent(`
      services:
        app:
          build:
            context: .
            secrets: [npm_token]
            args:
              NODE_VERSION: "22"
          ports: ["3000:3000"]
      secrets:
        npm_token:
          file: ./secrets/npm_token.txt
    `));
    assert.deepEqual(fixed?.createFiles, [{ path: '/work/secrets/npm_token.txt', text: 'npm_abc' }]);
  });
});

describe('no-secrets-in-environment across the merged project', () => {
  it('is cleared by an override that takes the value from a variable or resets it', () => {
    const base = `
      services:
        db:
          image: mariadb:11.4
          environment:
            MARIADB_ROOT_PASSWORD: admin
    `;
    checkRule(rule, 'compose', base, { files: { '/work/compose.override.yaml': 'services:\n  db:\n    environment:\n      MARIADB_ROOT_PASSWORD: ${DB_ROOT_PASSWORD:?}\n' } });
    checkRule(rule, 'compose', base, { files: { '/work/compose.override.yaml': 'services:\n  db:\n    environment:\n      MARIADB_ROOT_PASSWORD: !reset null\n      MARIADB_ROOT_PASSWORD_FILE: /run/secrets/db\n' } });
  });

  it('reports the override file its own literals', () => {
    checkRule(rule, 'compose', `
      services:
        db:
          environment:
            - MARIADB_ROOT_PASSWORD=devpass
              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ no-secrets-in-environment
    `, { path: '/work/compose.override.yaml', files: { '/work/compose.yaml': 'services:\n  db:\n    image: mariadb:11.4\n' } });
  });
});

describe('no-secrets-in-environment in command and entrypoint arguments', () => {
  it('flags a literal credential passed as an option, in the list and string forms, on the value', () => check(`
    services:
      keycloak:
        image: quay.io/keycloak/keycloak:25.0
        command: ["start-dev", "--admin-password=admin", "--http-port", "8080"]
                                                 ~~~~~ no-secrets-in-environment
      cache:
        image: redis:7.2
        command: redis-server --requirepass s3cr3tpass --appendonly yes
                                            ~~~~~~~~~~ no-secrets-in-environment
      tool:
        image: acme/tool:1.0
        entrypoint:
          - /usr/bin/tool
          - --password
          - hunter22
            ~~~~~~~~ no-secrets-in-environment
  `));

  it("knows the short password options of database clients, and reads a shell's -c script", () => check(`
    services:
      seed:
        image: mongo:7.0
        command: mongosh --host db -u admin -p example --eval "db.stats()"
                                               ~~~~~~~ no-secrets-in-environment
      ping:
        image: mysql:8.4
        entrypoint: ["sh", "-c", "mysqladmin ping -h db -uroot -pr00tpw && redis-cli -a hunter22 ping"]
                                                                 ~~~~~~ no-secrets-in-environment
                                                                                        ~~~~~~~~ no-secrets-in-environment
  `));

  it('reads healthcheck tests too, in their CMD, CMD-SHELL and string forms', () => check(`
    services:
      db:
        image: mysql:8.4
        healthcheck:
          test: ["CMD", "mysqladmin", "ping", "-uroot", "-pr00tpw"]
                                                           ~~~~~~ no-secrets-in-environment
      cache:
        image: redis:7.2
        healthcheck:
          test: ["CMD-SHELL", "redis-cli -a hunter22 ping | grep PONG"]
                                            ~~~~~~~~ no-secrets-in-environment
      other:
        image: mysql:8.4
        healthcheck:
          test: ['CMD-SHELL', 'mysqladmin ping -h 127.0.0.1 --password="$$(cat /run/secrets/db-password)" --silent']
      valkey:
        image: valkey/valkey:8.0
        healthcheck:
          test: '[ $$(valkey-cli --pass "$\${REDIS_PASSWORD}" ping) = ''PONG'' ]'
  `));

  it('leaves interpolated values, secret files, unrelated options and ports alone', () => check(`
    services:
      cache:
        image: redis:7.2
        command: redis-server --requirepass \${REDIS_PASSWORD:?}
      zulip-redis:
        image: redis:7.2
        command:
          - 'sh'
          - '-euc'
          - '/usr/local/bin/docker-entrypoint.sh --requirepass "$$(cat $$REDIS_PASSWORD_FILE)"'
      db:
        image: mysql:8.4
        command: --default-authentication-plugin=mysql_native_password
      app:
        image: acme/app:1.0
        command: ["serve", "--password-file", "/run/secrets/app_password", "--token-ttl", "3600", "-p", "8080"]
      kc:
        image: quay.io/keycloak/keycloak:25.0
        command: start --admin-password /run/secrets/kc_admin
  `));

  it('masks the value in the message and offers no fix', () => {
    const text = dedent(`
      services:
        keycloak:
          image: quay.io/keycloak/keycloak:25.0
          command: ["start-dev", "--admin-password=changeme123"]
    `);
    const [finding] = findingsOf(rule, 'compose', text);
    assert.match(finding.message, /^`keycloak` passes a literal credential to `--admin-password` \(`ch\*+`\) on its command line in the Compose file,/);
    assert.doesNotMatch(finding.message, /changeme123/);
    assert.equal(applyFix(rule, 'compose', text), undefined);
  });
});
