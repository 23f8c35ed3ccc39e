import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixtures.js';

/** Every module under src/<room> and what it imports (relative specifiers resolved to src/-paths, packages as named). */
function importsOf(room: string): { file: string; from: string }[] {
  const dir = join(ROOT, 'src', room);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => [...readFileSync(join(dir, file), 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)].map((match) => ({ file: `${room}/${file}`, from: (match[1] ?? match[2])! })));
}

describe('the shape of the code (shared/STYLE.md)', () => {
  it('the CLI imports only the library room', () => {
    const outside = importsOf('cli').filter(({ from }) => from.startsWith('../') && from !== '../usecases/index.js');
    expect(outside).toEqual([]);
  });

  it('progress renderers import only event types', () => {
    expect(importsOf('progress').filter(({ from }) => from.startsWith('../'))).toEqual([]);
  });

  it('only src/engine imports dockerode', () => {
    const rooms = readdirSync(join(ROOT, 'src'), { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name !== 'engine' && entry.name !== 'generated');
    expect(rooms.flatMap((room) => importsOf(room.name)).filter(({ from }) => from === 'dockerode' || from.endsWith('/dockerode.js'))).toEqual([]);
  });

  it('the planner does no I/O: it imports neither the engine nor the executor', () => {
    expect(importsOf('planner').filter(({ from }) => /engine|executor|usecases/.test(from))).toEqual([]);
  });
});
