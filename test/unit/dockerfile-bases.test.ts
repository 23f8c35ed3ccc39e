import { describe, expect, it } from 'vitest';
import { dockerfileBaseImages } from '../../src/build-context/dockerfile-bases.js';

describe('the images a Dockerfile builds FROM', () => {
  it('lists base images, not stages, scratch or unset arguments', () => {
    const dockerfile = [
      '# syntax comment',
      'ARG TAG=1.36',
      'ARG UNSET',
      'FROM --platform=linux/amd64 registry.example:5000/team/base:${TAG} AS build',
      'FROM scratch AS empty',
      'FROM build',
      'FROM busybox:$TAG',
      'FROM \\',
      '  ghcr.io/org/tool:2 AS tool',
      'FROM ${UNSET}/x',
      'from Build',
    ].join('\n');
    expect(dockerfileBaseImages(dockerfile)).toEqual(['registry.example:5000/team/base:1.36', 'busybox:1.36', 'ghcr.io/org/tool:2']);
  });

  it('takes build arguments over the defaults', () => {
    expect(dockerfileBaseImages('ARG TAG=1\nFROM app:${TAG}\nFROM other:${MISSING:-fallback}\n', { TAG: '2' })).toEqual(['app:2', 'other:fallback']);
  });
});
