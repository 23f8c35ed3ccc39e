import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../src/cli/main.js';
import { fixture } from '../helpers/fixtures.js';

interface Step {
  name?: string;
  if?: string;
  run?: string;
  uses?: string;
}

const workflow = parse(readFileSync(fixture('..', 'examples', 'demo', '.github', 'workflows', 'ci.yml'), 'utf8')) as { jobs: { test: { steps: Step[] } } };
const steps = workflow.jobs.test.steps;
/** The arguments of every `npx tscompose …` command in the workflow. */
const commands = steps.flatMap((step) => [...(step.run ?? '').matchAll(/npx tscompose ([^>&|\n]*)/g)].map((match) => match[1]!.trim().split(/\s+/)));

const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });

describe('examples/demo CI workflow', () => {
  it('runs up --wait, exports env to $GITHUB_ENV, tests, keeps logs on failure and always runs down', () => {
    const index = (pattern: RegExp) => steps.findIndex((step) => pattern.test(step.run ?? ''));
    const order = [index(/tscompose up --wait/), index(/tscompose env --format github >> "\$GITHUB_ENV"/), index(/vitest run/), index(/tscompose logs/), index(/tscompose down/)];
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(steps[index(/tscompose logs/)]!.if).toBe('failure()');
    expect(steps[index(/tscompose down/)]!.if).toBe('always()');
  });

  it('uses only commands and options tscompose has', async () => {
    expect(commands.length).toBeGreaterThanOrEqual(5);
    // --help checks every option, then prints help and runs nothing.
    for (const args of commands) expect(await main([...args, '--help'], sink(), sink()), args.join(' ')).toBe(0);
    expect(await main(['up', '--wiat', '--help'], sink(), sink())).toBe(2);
  });
});
