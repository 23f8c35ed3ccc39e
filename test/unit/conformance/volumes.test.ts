/** Short volume syntax as compose-go's format.ParseVolume reads it (facts of format/volume_test.go). */
import { describe, expect, it } from 'vitest';
import { parseShortVolume } from '../../../src/loader/volumes.js';

describe('short volume syntax', () => {
  it.each(['/path', '/path/foo', 'C:\\path', 'Z:\\path\\foo'])('%s alone is an anonymous volume', (path) => {
    expect(parseShortVolume(path)).toEqual({ type: 'volume', target: path, volume: {} });
  });
  it.each(['.', '/a'])('a very short %s is a volume target', (path) => expect(parseShortVolume(path)).toEqual({ type: 'volume', target: path }));
  it('too many colons', () => expect(() => parseShortVolume('/foo:/foo:ro:foo')).toThrow('too many colons'));
  it.each([':foo', '/foo::ro'])('%s has an empty section', (spec) => expect(() => parseShortVolume(spec)).toThrow('empty section between colons'));
  it.each(['./foo', '~/thing', '../other', '/foo', '/home/user'])('%s:/target is a bind mount that creates its host path', (path) => {
    expect(parseShortVolume(`${path}:/target`)).toEqual({ type: 'bind', source: path, target: '/target', bind: { create_host_path: true } });
  });
  it('Windows paths', () => {
    expect(parseShortVolume('D:\\path:d:\\target')).toMatchObject({ type: 'bind', source: 'D:\\path', target: 'd:\\target' });
    expect(parseShortVolume('C:\\source\\foo:D:\\target:ro,rprivate')).toEqual({
      type: 'bind', source: 'C:\\source\\foo', target: 'D:\\target', read_only: true, bind: { propagation: 'rprivate', create_host_path: true },
    });
  });
  it('propagation and SELinux options', () => {
    expect(parseShortVolume('/source:/target:slave')).toEqual({ type: 'bind', source: '/source', target: '/target', bind: { propagation: 'slave', create_host_path: true } });
    expect(parseShortVolume('/source:/target:ro,z')).toEqual({ type: 'bind', source: '/source', target: '/target', read_only: true, bind: { selinux: 'z', create_host_path: true } });
    expect(parseShortVolume('/source:/target:ro,Z')).toMatchObject({ read_only: true, bind: { selinux: 'Z' } });
  });
  it('volume options; unknown options are ignored as compose-go ignores them', () => {
    expect(parseShortVolume('name:/target:nocopy')).toEqual({ type: 'volume', source: 'name', target: '/target', volume: { nocopy: true } });
    expect(parseShortVolume('name:/target:bogus')).toEqual({ type: 'volume', source: 'name', target: '/target', volume: {} });
  });
  it.each(['./foo', '/home/user'])('%s with ro and rw', (path) => {
    expect(parseShortVolume(`${path}:/target:ro`)).toMatchObject({ type: 'bind', read_only: true });
    expect(parseShortVolume(`${path}:/target:rw`)).toMatchObject({ type: 'bind', read_only: false });
  });
  it('a target is cleaned; a colon inside ${…} does not split', () => {
    expect(parseShortVolume('data:/var/lib//db/')).toMatchObject({ target: '/var/lib/db' });
    expect(parseShortVolume('${A:-/x}:/y')).toMatchObject({ source: '${A:-/x}', target: '/y' });
  });
});
