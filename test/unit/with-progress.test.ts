import { describe, expect, it } from 'vitest';
import { message, type ProgressEvent } from '../../src/progress/events.js';
import { withProgress } from '../../src/progress/with-progress.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('withProgress', () => {
  it('hands out every event in order, then ends when the run resolves', async () => {
    const { events, result } = withProgress(async (onProgress) => {
      onProgress(message('one'));
      await tick();
      onProgress(message('two'));
      await tick();
      onProgress(message('three'));
      return 42;
    });
    const texts: string[] = [];
    for await (const event of events) texts.push(event.text);
    expect(texts).toEqual(['one', 'two', 'three']);
    expect(await result).toBe(42);
  });

  it('ends the events and rejects the result with the run\'s own error, read late without an unhandled rejection', async () => {
    class Boom extends Error {}
    const { events, result } = withProgress(async (onProgress: (event: ProgressEvent) => void) => {
      onProgress(message('before'));
      throw new Boom('boom');
    });
    await tick();
    const texts: string[] = [];
    for await (const event of events) texts.push(event.text);
    expect(texts).toEqual(['before']);
    await expect(result).rejects.toBeInstanceOf(Boom);
  });
});
