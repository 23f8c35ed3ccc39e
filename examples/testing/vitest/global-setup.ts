// One stack for the whole run: up before the first test file, down after the last.
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { compose, wait } from 'tscompose';

export default async function setup(project: TestProject) {
  const stack = await compose({ workingDir: fileURLToPath(new URL('..', import.meta.url)), isolate: true })
    .withWait('db', wait.log(/ready to accept connections/))
    .up();
  project.provide('apiUrl', stack.endpoint('api', 3000).url);
  return () => stack.down();
}

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
  }
}
