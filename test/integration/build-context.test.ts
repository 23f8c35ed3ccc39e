import { chmodSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineConnection } from '../../src/engine/client.js';
import { createBuildContext, type BuildContextOptions } from '../../src/build-context/build-context.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { tempProject } from '../helpers/fixtures.js';

const engine = await engineForTests();

const TAG = 'tscompose-it-build-context:latest';

interface BuildOutput {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * Builds `options`' context on the engine (POST /build, classic builder) and returns the output;
 * throws on an error entry. Every image the build made is removed afterwards, whatever happened.
 */
async function buildOnEngine(connection: EngineConnection, options: BuildContextOptions, buildargs: Record<string, string> = {}): Promise<string> {
  const { docker } = connection;
  const context = await createBuildContext(options);
  const stream = await docker.buildImage(context.stream as never, { t: TAG, dockerfile: context.dockerfile, buildargs, rm: true, forcerm: true });
  const output = await new Promise<BuildOutput[]>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, entries: BuildOutput[]) => (error ? reject(error) : resolve(entries)));
  });
  const text = output.map((entry) => entry.stream ?? '').join('');
  await removeBuiltImages(connection, text);
  const failure = output.find((entry) => entry.error || entry.errorDetail);
  if (failure) throw new Error(`build failed: ${failure.errorDetail?.message ?? failure.error}\n${text}`);
  return text;
}

/** The tag, then the untagged step images the output names, last first; tagged ones (the FROM image) are left alone. */
async function removeBuiltImages({ docker }: EngineConnection, output: string): Promise<void> {
  await docker
    .getImage(TAG)
    .remove({ force: true })
    .catch(() => undefined);
  const steps = [...output.matchAll(/ ---> ([0-9a-f]{12})\b/g)].map((match) => match[1]!).reverse();
  for (const id of new Set(steps)) {
    const image = await docker
      .getImage(id)
      .inspect()
      .catch(() => undefined);
    if (image && image.RepoTags.length === 0) await docker.getImage(id).remove().catch(() => undefined);
  }
}

describe.skipIf(!engine)('build context on the engine', () => {
  it('builds what the context holds: COPY sees files, modes, symlinks and long names, not the ignored files; ARG takes the build argument', async () => {
    const longName = `${'n'.repeat(120)}.txt`;
    const dir = tempProject({
      'Dockerfile': [
        `FROM ${TEST_IMAGE}`,
        'ARG GREETING=unset',
        'COPY . /ctx/',
        'RUN test "$GREETING" = "hello from the test"',
        'RUN test "$(cat /ctx/app/message.txt)" = "a message" && test -x /ctx/app/run.sh',
        'RUN test -L /ctx/app/current && test "$(readlink /ctx/app/current)" = message.txt',
        `RUN test -e /ctx/${longName}`,
        'RUN test ! -e /ctx/secret.txt && test ! -e /ctx/debug.log && test ! -e /ctx/cache/big.bin',
        'RUN test "$(cat /ctx/cache/keep.txt)" = kept',
        // The engine leaves the Dockerfile and .dockerignore out of COPY when the patterns name them.
        'RUN test ! -e /ctx/Dockerfile && test ! -e /ctx/.dockerignore',
        '',
      ].join('\n'),
      '.dockerignore': 'secret.txt\n*.log\ncache\n!cache/keep.txt\nDockerfile\n.dockerignore\n',
      'app/message.txt': 'a message',
      'app/run.sh': '#!/bin/sh\necho run\n',
      [longName]: 'long',
      'secret.txt': 'must not reach the engine',
      'debug.log': 'noise',
      'cache/big.bin': 'x'.repeat(100_000),
      'cache/keep.txt': 'kept',
    });
    chmodSync(join(dir, 'app/run.sh'), 0o755);
    symlinkSync('message.txt', join(dir, 'app/current'));
    const output = await buildOnEngine(engine!, { contextDir: dir }, { GREETING: 'hello from the test' });
    expect(output).toContain('Successfully tagged tscompose-it-build-context:latest');
  });

  it('builds from an inline Dockerfile, which COPY . does not see', async () => {
    const dir = tempProject({ 'hello.txt': 'hello' });
    const dockerfileInline = [`FROM ${TEST_IMAGE}`, 'COPY . /ctx/', 'RUN test "$(cat /ctx/hello.txt)" = hello', 'RUN test -z "$(ls -A /ctx | grep -v hello.txt)"', ''].join('\n');
    const output = await buildOnEngine(engine!, { contextDir: dir, dockerfileInline });
    expect(output).toContain('Successfully tagged tscompose-it-build-context:latest');
  });

  it('builds from a Dockerfile outside the context', async () => {
    const root = tempProject({ 'context/hello.txt': 'hello', 'docker/Dockerfile': `FROM ${TEST_IMAGE}\nCOPY hello.txt /\nRUN test "$(cat /hello.txt)" = hello\n` });
    const output = await buildOnEngine(engine!, { contextDir: join(root, 'context'), dockerfile: '../docker/Dockerfile' });
    expect(output).toContain('Successfully tagged tscompose-it-build-context:latest');
  });
});
