import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gitIgnoreOf, parseGitignore } from '../../../server/src/project/gitignore';
import { fakeFiles } from '../../helpers/check';

describe('.gitignore', () => {
  const at = (files: Record<string, string>, root = '/repo') => gitIgnoreOf(root, fakeFiles(files))!;

  it('matches a name without a slash at any depth, and an anchored one only from its folder', () => {
    const git = at({ '/repo/.git/HEAD': '', '/repo/.gitignore': '.env\n/build\nlogs/*.log\n' });
    assert.equal(git.ignores('.env'), true);
    assert.equal(git.ignores('api/.env'), true);
    assert.equal(git.ignores('.env.example'), false);
    assert.equal(git.ignores('build', true), true);
    assert.equal(git.ignores('build/app.js'), true, 'inside an ignored folder');
    assert.equal(git.ignores('web/build/app.js'), false, '/build is anchored');
    assert.equal(git.ignores('logs/a.log'), true);
    assert.equal(git.ignores('x/logs/a.log'), false, 'a pattern with a slash is anchored');
  });

  it('takes the last matching pattern, keeps folder-only patterns to folders, and never re-includes below an ignored folder', () => {
    const git = at({ '/repo/.gitignore': '*.json\n!package.json\ndata/\nvendor/*\n!vendor/keep/\n' });
    assert.equal(git.ignores('config.json'), true);
    assert.equal(git.ignores('package.json'), false);
    assert.equal(git.ignores('data', false), false, 'data/ names folders only');
    assert.equal(git.ignores('data/db.sqlite'), true);
    assert.equal(git.ignores('vendor/keep/a.go'), false, 'an exception for a folder whose parent is not ignored itself');
    assert.equal(git.ignores('vendor/x.go'), true);
  });

  it('reads the files above the root up to the repository top, and nested ones inside it', () => {
    const git = at({
      '/repo/.git/HEAD': '',
      '/repo/.gitignore': 'secrets.yaml\n/app/local.db\n',
      '/repo/app/.gitignore': '*.pem\n',
      '/repo/app/src/.gitignore': '!keep.pem\n',
      '/repo/app/main.go': '',
    }, '/repo/app');
    assert.equal(git.ignores('secrets.yaml'), true);
    assert.equal(git.ignores('local.db'), true, 'an anchored pattern of the file above');
    assert.equal(git.ignores('cert.pem'), true);
    assert.equal(git.ignores('src/keep.pem'), false, 'a deeper file overrides');
    assert.equal(git.ignores('main.go'), false);
  });

  it('does not read above the folder that has .git', () => {
    const git = at({ '/.gitignore': '*.go\n', '/repo/.git/HEAD': '', '/repo/main.go': '' });
    assert.equal(git.ignores('main.go'), false);
  });

  it('handles `**`, character classes and escapes', () => {
    const patterns = parseGitignore('**/tmp/**\n\\#notes\nfile[0-9].txt\n# comment\n\n');
    assert.equal(patterns.length, 3);
    const git = at({ '/repo/.gitignore': '**/tmp/**\nfile[0-9].txt\na/**/b\n' });
    assert.equal(git.ignores('x/y/tmp/z'), true);
    assert.equal(git.ignores('file1.txt'), true);
    assert.equal(git.ignores('filex.txt'), false);
    assert.equal(git.ignores('a/b'), true);
    assert.equal(git.ignores('a/x/y/b'), true);
  });
});
