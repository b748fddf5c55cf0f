import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseImageRef } from '../../../server/src/text/image';
import { distroOf, runsAsNonRootByDefault } from '../../../server/src/text/images';

const distro = (image: string) => distroOf(parseImageRef(image));

describe('distroOf', () => {
  it('knows the images built on another distribution than their name suggests', () => {
    assert.equal(distro('amazoncorretto:17'), 'redhat'); // Amazon Linux 2
    assert.equal(distro('amazoncorretto:21-alpine'), 'alpine');
    assert.equal(distro('openjdk:8-jdk'), 'debian');
    assert.equal(distro('openjdk:17'), 'redhat'); // Oracle Linux from 12 on
    assert.equal(distro('openjdk:17-jdk-slim'), 'debian');
    assert.equal(distro('openjdk:latest'), 'unknown');
    assert.equal(distro('eclipse-temurin:21-jre-ubi9-minimal'), 'redhat');
    assert.equal(distro('eclipse-temurin:17'), 'debian'); // Ubuntu
    assert.equal(distro('maven:3.9-eclipse-temurin-21'), 'debian');
    assert.equal(distro('maven:3-amazoncorretto-17'), 'redhat');
    assert.equal(distro('maven:3.8-openjdk-17'), 'unknown');
    assert.equal(distro('swift:5.10-amazonlinux2'), 'redhat');
  });

  it('knows the .NET images on mcr.microsoft.com', () => {
    assert.equal(distro('mcr.microsoft.com/dotnet/aspnet:8.0'), 'debian');
    assert.equal(distro('mcr.microsoft.com/dotnet/sdk:10.0-noble'), 'debian');
    assert.equal(distro('mcr.microsoft.com/dotnet/runtime:8.0-alpine'), 'alpine');
    assert.equal(distro('mcr.microsoft.com/dotnet/aspnet:8.0-azurelinux3.0'), 'redhat');
    assert.equal(distro('mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled'), 'distroless');
  });
});

describe('runsAsNonRootByDefault', () => {
  it('trusts .NET chiseled images, which switch to their app user', () => {
    assert.equal(runsAsNonRootByDefault(parseImageRef('mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled')!), true);
    assert.equal(runsAsNonRootByDefault(parseImageRef('mcr.microsoft.com/dotnet/aspnet:10.0-noble')!), false);
  });
});
