import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runtimeLibraries } from '../../../server/src/fixes/multistage/libraries';

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
