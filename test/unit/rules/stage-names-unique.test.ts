import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../../server/src/rules/dockerfile/stage-names-unique';
import { checkRule, findingsOf } from '../../helpers/check';

const check = (text: string) => checkRule(rule, 'dockerfile', text);

describe('stage-names-unique', () => {
  it('flags every later stage that reuses a name', () => check(`
    FROM golang:1.22 AS build
    FROM node:20 AS build
                    ~~~~~ stage-names-unique
    FROM alpine:3.20 AS build
                        ~~~~~ stage-names-unique
  `));

  it('compares names without case, as Docker does', () => check(`
    FROM golang:1.22 AS Build
    FROM node:20 as build
                    ~~~~~ stage-names-unique
  `));

  it('accepts distinct names and unnamed stages', () => check(`
    FROM golang:1.22 AS build
    FROM node:20 AS build-web
    FROM alpine:3.20
    FROM alpine:3.20
  `));

  it('points at the first definition', () => {
    const [finding] = findingsOf(rule, 'dockerfile', 'FROM a:1 AS x\nRUN true\nFROM b:1 AS X\n');
    assert.match(finding.message, /^Stage name `X` is already used by the stage on line 1/);
  });
});
