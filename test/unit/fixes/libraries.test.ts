import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runtimeLibraries, systemLibraryUser } from '../../../server/src/fixes/multistage/libraries';

describe('runtime libraries for the -dev packages a build installed', () => {
  it('names the library each known -dev package was for, on Debian and Alpine', () => {
    assert.deepEqual(runtimeLibraries(['gcc', 'libpq-dev', 'default-libmysqlclient-dev=1.1.*', 'libxslt1-dev'], 'debian', 'python'), ['libpq5', 'libmariadb3', 'libxslt1.1']);
    assert.deepEqual(runtimeLibraries(['build-base', 'postgresql-dev', 'jpeg-dev'], 'alpine', 'python'), ['libstdc++', 'libpq', 'libjpeg-turbo']);
    assert.deepEqual(runtimeLibraries(['python3', 'make', 'g++'], 'alpine', 'node'), [], 'Node images carry libstdc++');
  });

  it('adds nothing for libraries the language runtime links itself', () => {
    assert.deepEqual(runtimeLibraries(['libffi-dev', 'libssl-dev', 'zlib1g-dev', 'python3-dev'], 'debian', 'python'), []);
    assert.deepEqual(runtimeLibraries(['libyaml-dev', 'libgmp-dev'], 'debian', 'ruby'), []);
  });

  it('gives up on a -dev package it does not know, or whose library is not there for this runtime', () => {
    assert.equal(runtimeLibraries(['libgdal-dev'], 'debian', 'python'), null);
    assert.equal(runtimeLibraries(['libssl-dev'], 'debian', 'node'), null, 'node:slim has no libssl, and its package name changed in trixie');
    assert.equal(runtimeLibraries(['libpng-dev'], 'debian', 'python'), null, 'libpng16-16 became libpng16-16t64 in trixie');
  });
});

describe('packages that need what only the full language image has', () => {
  it('finds them in requirements, pyproject, Gemfile.lock and package.json, whatever the separator, and not in comments', () => {
    assert.deepEqual(systemLibraryUser('python', ['flask==3.0\npython_magic>=0.4\n']), { name: 'python-magic', uses: 'libmagic' });
    assert.deepEqual(systemLibraryUser('python', ['[project]\ndependencies = ["WeasyPrint>=60", "flask"]\n'])?.name, 'weasyprint');
    assert.equal(systemLibraryUser('python', ['# wand is optional\nflask\nwandb==0.16\n']), null);
    assert.equal(systemLibraryUser('ruby', ['GEM\n  specs:\n    mini_magick (4.12.0)\n'])?.uses, 'ImageMagick');
    assert.equal(systemLibraryUser('ruby', ["gem 'typhoeus'\n"])?.uses, 'libcurl');
    assert.equal(systemLibraryUser('node', ['{"dependencies":{"gm":"^1.25.0","express":"4"}}'])?.name, 'gm');
    assert.equal(systemLibraryUser('node', ['{"dependencies":{"gmail":"1"}}']), null);
  });
});
