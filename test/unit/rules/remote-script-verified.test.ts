import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/remote-script-verified';
import { applyFix, checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('remote-script-verified', () => {
  it('flags a download piped into a shell, from the download to the interpreter', () => check(`
    FROM debian:12
    RUN curl -fsSL https://get.docker.com | sh
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ remote-script-verified
    RUN apt-get update && wget -qO- https://example.com/install.sh | bash -s -- --yes
                          ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ remote-script-verified
    RUN curl -fsSL https://deb.nodesource.com/setup_20.x | sudo -E bash -
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ remote-script-verified
  `));

  it('flags Python, PHP, Perl and Ruby reading the download as their program', () => check(`
    FROM php:8.3-cli
    RUN curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ remote-script-verified
    RUN curl https://bootstrap.pypa.io/get-pip.py | python3
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ remote-script-verified
    RUN wget -O - https://cpanmin.us | perl - App::cpanminus
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ remote-script-verified
  `));

  it('flags a download run through a substitution', () => check(`
    FROM debian:12
    RUN sh -c "$(curl -fsSL https://example.com/install.sh)"
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ remote-script-verified
    RUN bash <(curl -fsSL https://example.com/install.sh) --prefix /opt
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ remote-script-verified
  `));

  it('flags a script saved to a file and run in the same RUN without a check', () => check(`
    FROM debian:12
    RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh && sh /tmp/install.sh
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ remote-script-verified
    RUN wget https://example.com/setup.sh && chmod +x setup.sh && ./setup.sh
        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ remote-script-verified
  `));

  it('does not flag a script checked by digest or signature before it runs', () => check(`
    FROM debian:12
    RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \\
     && echo "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef  /tmp/install.sh" | sha256sum -c - \\
     && sh /tmp/install.sh
    RUN curl -fsSLO https://example.com/install.sh && curl -fsSLO https://example.com/install.sh.asc \\
     && gpg --batch --verify install.sh.asc install.sh && bash install.sh
  `));

  it('does not flag downloads that are data: parsed, unpacked, or passed to a program as an argument', () => check(`
    FROM debian:12
    RUN curl -s https://api.github.com/repos/acme/app/releases/latest | python3 -c 'import json,sys; print(json.load(sys.stdin)["tag_name"])'
    RUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt
    RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/acme.gpg
    RUN curl -fsSLo /tmp/app.tgz https://example.com/app.tgz && tar -xzf /tmp/app.tgz -C /opt
    RUN python3 /opt/configure.py "$(curl -fsSL https://example.com/settings.json)"
    RUN curl -fsSL https://example.com/data.csv | bash /opt/import.sh
  `));

  it('quotes the URL and says how to verify', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM debian:12\nRUN curl -fsSL https://get.docker.com | sh\n');
    assert.match(finding.message, /^`curl … \| sh` runs a script downloaded from `https:\/\/get\.docker\.com` without checking it, .*`sha256sum -c`/);
  });

  it('offers no fix (the digest has to come from the publisher)', () => {
    assert.equal(rule.fixable, false);
    assert.equal(applyFix(rule, 'dockerfile', 'FROM debian:12\nRUN curl -fsSL https://get.docker.com | sh\n'), undefined);
  });
});
