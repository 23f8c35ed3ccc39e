import { describe, expect, it } from 'vitest';
import { findLeftovers } from '../../src/planner/repair.js';
import type { ObservedContainer, ObservedNetwork } from '../../src/planner/types.js';

const PROJECT = 'rel';
const LABELS = { 'com.docker.compose.project': PROJECT };
const network = (id: string, name: string, containers: string[] = [], labels: Record<string, string> = LABELS): ObservedNetwork => ({ id, name, labels, driver: 'bridge', subnets: [], containers });
const container = (id: string, networks: Record<string, string | undefined>): ObservedContainer => ({
  id,
  name: `${PROJECT}-${id}-1`,
  labels: { ...LABELS, 'com.docker.compose.service': id },
  state: 'running',
  networks: Object.fromEntries(Object.entries(networks).map(([name, networkId]) => [name, { aliases: [], ...(networkId ? { networkId } : {}) }])),
  ports: [],
});

describe('what concurrent and interrupted runs leave', () => {
  it('keeps, of two networks of one name, the one more containers use, and names the other a duplicate', () => {
    const leftovers = findLeftovers(PROJECT, {
      networks: [network('aaa', 'rel_default', ['web']), network('bbb', 'rel_default', ['db', 'api'])],
      containers: [container('web', { rel_default: 'aaa' }), container('db', { rel_default: 'bbb' }), container('api', { rel_default: 'bbb' })],
    });
    expect(leftovers.kept.get('rel_default')!.id).toBe('bbb');
    expect(leftovers.duplicates.map((duplicate) => duplicate.id)).toEqual(['aaa']);
    expect([...leftovers.stranded]).toEqual([['web', 'attached to a duplicate of network rel_default']]);
  });

  it('finds a container whose network was removed under it, or removed and created again', () => {
    const leftovers = findLeftovers(PROJECT, {
      networks: [network('new', 'rel_back')],
      containers: [container('web', { rel_front: 'gone' }), container('db', { rel_back: 'old' }), container('api', { rel_back: 'new' })],
    });
    expect(Object.fromEntries(leftovers.stranded)).toEqual({ web: 'network rel_front was removed under it', db: 'network rel_back was removed under it and created again' });
    expect(leftovers.duplicates).toEqual([]);
  });

  it('recreates a container without a network id (connected while stopped) only where the name has a duplicate', () => {
    const leftovers = findLeftovers(PROJECT, {
      networks: [network('aaa', 'rel_default', ['web']), network('bbb', 'rel_default'), network('ccc', 'rel_back')],
      containers: [container('web', { rel_default: 'aaa' }), container('db', { rel_default: undefined }), container('api', { rel_back: undefined })],
    });
    expect(Object.fromEntries(leftovers.stranded)).toEqual({ db: 'attached to network rel_default, which has a duplicate' });
  });

  it('leaves other projects’ networks of the same name alone', () => {
    const leftovers = findLeftovers(PROJECT, { networks: [network('ours', 'shared'), network('theirs', 'shared', [], { 'com.docker.compose.project': 'other' })], containers: [] });
    expect(leftovers.duplicates).toEqual([]);
    expect(leftovers.kept.get('shared')!.id).toBe('ours');
  });
});
