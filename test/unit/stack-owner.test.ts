import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { OWNER_LABEL, ownerLabels, ownerState } from '../../src/usecases/owner.js';

describe('the owner of a stack', () => {
  it('is this process while it runs', () => {
    const labels = ownerLabels();
    expect(labels[OWNER_LABEL.pid]).toBe(String(process.pid));
    expect(ownerState(labels)).toBe('alive');
  });

  it('is gone once its process has exited', () => {
    const child = spawnSync(process.execPath, ['-e', '']);
    expect(ownerState({ ...ownerLabels(), [OWNER_LABEL.pid]: String(child.pid) })).toBe('gone');
  });

  it.runIf(process.platform === 'linux')('is gone when its pid now belongs to a process started at another time', () => {
    expect(ownerState({ ...ownerLabels(), [OWNER_LABEL.startTime]: '1' })).toBe('gone');
  });

  it.runIf(process.platform === 'linux')('is gone after the host rebooted', () => {
    expect(ownerState({ ...ownerLabels(), [OWNER_LABEL.bootId]: '00000000-0000-0000-0000-000000000000' })).toBe('gone');
  });

  it('cannot be checked from another host', () => {
    expect(ownerState({ ...ownerLabels(), [OWNER_LABEL.host]: 'some-other-host.invalid' })).toBe('elsewhere');
  });

  it('is none on resources without owner labels', () => {
    expect(ownerState({ 'com.docker.compose.project': 'demo' })).toBe('none');
  });
});
