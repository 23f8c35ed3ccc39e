/**
 * Conformance with compose-go's interpolation, case by case from the facts its table tests
 * state (template/template_test.go, interpolation/interpolation_test.go). Written here, not copied.
 * Where we differ on purpose, the case says so and why.
 */
import { describe, expect, it } from 'vitest';
import { interpolate, InterpolationFailure } from '../../../src/loader/interpolate.js';
import { load, toComposeJson } from '../../../src/loader/index.js';
import { tempProject } from '../../helpers/fixtures.js';

const TEMPLATE_ENV = { FOO: 'first', BAR: '', JSON: '{"json":2}' };
const expand = (text: string, env: Record<string, string> = TEMPLATE_ENV) => interpolate(text, env).value;
const failure = (text: string, env: Record<string, string> = TEMPLATE_ENV): InterpolationFailure => {
  try {
    interpolate(text, env);
  } catch (error) {
    if (error instanceof InterpolationFailure) return error;
    throw error;
  }
  throw new Error(`"${text}" was expected to fail`);
};

describe('template: escapes and literal dollars', () => {
  it('$$ is a literal $', () => expect(expand('$${foo}')).toBe('${foo}'));
  it('text without $ is unchanged', () => expect(expand('foo')).toBe('foo'));
  it.each(['a $ string', '^REGEX$', '$}', '$', 'sh -c "echo $(date)"', 'cost: 5$', '$1'])('a $ that starts no reference is kept: %s', (text) => {
    expect(expand(text)).toBe(text);
  });
});

describe('template: invalid references', () => {
  // compose-go says "Invalid template"; we say what is wrong with it, at its offset.
  it.each(['${', '${}', '${ }', '${ foo}', '${foo }', '${foo!}'])('%s is an error', (text) => {
    expect(failure(text)).toBeInstanceOf(InterpolationFailure);
  });
});

describe('template: values and defaults', () => {
  it.each([
    ['$FOO-bar', 'first-bar'], // docker/compose#8601: "-" after a bare name is text
    ['This ${missing} var', 'This  var'],
    ['This ${BAR} var', 'This  var'],
    ['This $FOO var', 'This first var'],
    ['This ${FOO} var', 'This first var'],
    ['ok ${missing:-def}', 'ok def'],
    ['ok ${missing-def}', 'ok def'],
    ['${A:+${A},}B', 'B'],
    ['${A:-${B}}', ''],
    ['ok ${BAR:-def}', 'ok def'],
    ['ok ${FOO:-def}', 'ok first'],
    ['ok ${BAR-def}', 'ok '],
    ['ok ${UNSET_VAR:+presence_value}', 'ok '],
    ['ok ${UNSET_VAR+presence_value}', 'ok '],
    ['ok ${FOO:+presence_value}', 'ok presence_value'],
    ['ok ${FOO+presence_value}', 'ok presence_value'],
    ['ok ${BAR+presence_value}', 'ok presence_value'],
    ['ok ${BAR:+presence_value}', 'ok '],
    ['ok ${BAR:-/non:-alphanumeric}', 'ok /non:-alphanumeric'],
    ['ok ${SUBDOMAIN:-redis}.${FOO:?}', 'ok redis.first'],
  ])('%s → %s', (text, expected) => expect(expand(text)).toBe(expected));

  it.each([
    ['-ok ${BAR:-defaultValue}', '-ok defaultValue'],
    ['+ok ${UNSET:-${BAR-defaultValue}}', '+ok '],
    ['-ok ${FOO:-defaultValue}', '-ok first'],
    [':-ok ${UNSET-defaultValue}', ':-ok defaultValue'],
    [':-ok ${BAR-defaultValue}', ':-ok '],
    [':?ok ${BAR-defaultValue}', ':?ok '],
    [':?ok ${BAR:-defaultValue}', ':?ok defaultValue'],
    [':+ok ${BAR:-defaultValue}', ':+ok defaultValue'],
    ['+ok ${BAR-defaultValue}', '+ok '],
    ['?ok ${BAR:-defaultValue}', '?ok defaultValue'],
  ])('text outside the reference does not change it: %s', (text, expected) => expect(expand(text)).toBe(expected));

  it.each([
    ['ok ${UNSET_VAR-$FOO}', 'ok first'],
    ['ok ${UNSET_VAR-${FOO}}', 'ok first'],
    ['ok ${UNSET_VAR-${FOO} ${FOO}}', 'ok first first'],
    ['ok ${BAR:-$FOO}', 'ok first'],
    ['ok ${BAR:-${FOO}}', 'ok first'],
    ['ok ${BAR:-${FOO} ${FOO}}', 'ok first first'],
    ['ok ${BAR+$FOO}', 'ok first'],
    ['ok ${BAR+$FOO ${FOO:+second}}', 'ok first second'],
  ])('defaults expand nested references: %s', (text, expected) => expect(expand(text)).toBe(expected));

  it.each([
    ['ok ${missing:-{"json":1}}', 'ok {"json":1}'],
    ['ok ${missing-{"json":1}}', 'ok {"json":1}'],
    ['ok ${JSON:-{"json":1}}', 'ok {"json":2}'],
    ['ok ${JSON-{"json":1}}', 'ok {"json":2}'],
  ])('a default may hold braces: %s', (text, expected) => expect(expand(text)).toBe(expected));
});

describe('template: unset variables are reported only when used', () => {
  it('a lazy default that is not taken reports nothing', () => {
    expect(interpolate('${A:+${A},}B', TEMPLATE_ENV).unset).toEqual([]);
    expect(interpolate('${A?${B}}', { A: 'value' }).unset).toEqual([]);
  });
  it('a default that is taken reports its unset variables', () => {
    expect(interpolate('${A:-${B}}', TEMPLATE_ENV).unset.map((u) => u.name)).toEqual(['B']);
  });
});

describe('template: required variables', () => {
  // compose-go says "is missing a value"; we say whether it is unset or empty. Both name the variable and the reason.
  it.each([
    ['not ok ${UNSET_VAR:?Mandatory Variable Unset}', 'UNSET_VAR', 'Mandatory Variable Unset'],
    ['not ok ${BAR:?Mandatory Variable Empty}', 'BAR', 'Mandatory Variable Empty'],
    ['not ok ${UNSET_VAR:?}', 'UNSET_VAR', ''],
    ['not ok ${UNSET_VAR?Mandatory Variable Unset}', 'UNSET_VAR', 'Mandatory Variable Unset'],
    ['not ok ${UNSET_VAR?}', 'UNSET_VAR', ''],
    ['not ok ${UNSET_VAR:?Mandatory Variable ${FOO}}', 'UNSET_VAR', 'Mandatory Variable first'],
    ['not ok ${UNSET_VAR?Mandatory Variable ${FOO}}', 'UNSET_VAR', 'Mandatory Variable first'],
    ['${UNSET_VAR?bar-baz}', 'UNSET_VAR', 'bar-baz'],
  ])('%s fails', (text, variable, reason) => {
    const error = failure(text);
    expect(error.message).toMatch(new RegExp(`^required variable ${variable} is (not set|empty)`));
    if (reason) expect(error.message.endsWith(`: ${reason}`)).toBe(true);
    else expect(error.message).not.toContain(':');
  });

  it.each([
    ['ok ${FOO:?err}', 'ok first'],
    ['ok ${FOO?err}', 'ok first'],
    ['ok ${BAR?err}', 'ok '],
    ['${FOO?bar-baz}', 'first'],
  ])('%s passes', (text, expected) => expect(expand(text)).toBe(expected));
});

describe('template: the first operator in the reference decides', () => {
  it.each([
    ['${UNSET_VAR-myerror?msg}', 'myerror?msg'],
    ['${BAR:-default_value_for_empty_var}', 'default_value_for_empty_var'],
    ['${UNSET_VAR-default_value_for_unset_var}', 'default_value_for_unset_var'],
    ['${V-va:-lu:?e}', 'va:-lu:?e'],
    ['${V-va+lu?e}', 'va+lu?e'],
    ['${V-va?lu+e}', 'va?lu+e'],
    ['${V:-value}', 'value'],
    ['${FOO:+va:?lu:-e}', 'va:?lu:-e'],
    ['${FOO+va:+lue}', 'va:+lue'],
    ['${FOO+va?lu-e}', 'va?lu-e'],
    ['${FOO+va-lu?e}', 'va-lu?e'],
  ])('%s → %s', (text, expected) => expect(expand(text)).toBe(expected));

  it.each(['${V:?val?ue}', '${V?val:?ue}', '${V?va-lu+e:?e}', '${V?va+lu-e:?e}'])('%s is a required check', (text) => {
    expect(failure(text).message).toContain('required variable V');
  });
});

describe('interpolation of values in a file', () => {
  const DEFAULTS = { USER: 'jenny', FOO: 'bar', count: '5', REQUIRED: 'true' };

  it.each([
    ['{{{ ${FOO:-foo_} }}}', '{{{ foo_ }}}'],
    ['{{{ ${FOO:-foo-bar-value} }}}', '{{{ foo-bar-value }}}'],
    ['{{{ ${FOO:-foo?bar?value} }}}', '{{{ foo?bar?value }}}'],
    ['{{{ ${FOO:-foo:?bar:?value} }}}', '{{{ foo:?bar:?value }}}'],
    ['{{{ ${FOO:-foo} ${BAR:-DEFAULT_VALUE} }}}', '{{{ foo DEFAULT_VALUE }}}'],
    ['{{{ ${BAR} }}}', '{{{  }}}'],
    ['${FOO:-baz} }}}', 'baz }}}'],
    ['${FOO-baz} }}}', 'baz }}}'],
    ['${FOO:-${BAR:-${ZOT:-qix}}}', 'qix'],
    ['${FOO:-${BAR:-x}_test_${BAR:-y}}', 'x_test_y'],
    ['${FOO:-${BAR:-x}_test}', 'x_test'],
    ['${FOO:-${BAR:-${ZOT:-x}}_test}', 'x_test'],
  ])('unset variables: %s → %s', (text, expected) => expect(expand(text, {})).toBe(expected));

  it.each([
    ['{{{ ${FOO:?foo_} }}}', 'foo_'],
    ['{{{ ${FOO:?foo-bar-value} }}}', 'foo-bar-value'],
    ['{{{ ${FOO:?foo} ${BAR:-DEFAULT_VALUE} }}}', 'foo'],
    ['${FOO:?foo} ${BAR:?bar}', 'foo'],
    ['${FOO:?baz} }}}', 'baz'],
    ['${FOO?baz} }}}', 'baz'],
  ])('unset required variables: %s fails with "%s"', (text, reason) => {
    expect(failure(text, {}).message).toBe(`required variable FOO is not set: ${reason}`);
  });

  it.each([
    ['{{{ ${FOO:-foo_} }}}', '{{{ bar }}}'],
    ['{{{ ${FOO:-foo-bar-value} }}}', '{{{ bar }}}'],
    ['{{{ ${FOO:-foo} ${BAR:-DEFAULT_VALUE} }}}', '{{{ bar DEFAULT_VALUE }}}'],
    ['{{{ ${BAR} }}}', '{{{  }}}'],
    ['${FOO:-baz} }}}', 'bar }}}'],
    ['${FOO-baz} }}}', 'bar }}}'],
    ['{{{ ${FOO:-foo} ${USER:-bar} }}}', '{{{ bar jenny }}}'],
    ['{{{ ${USER} }}}', '{{{ jenny }}}'],
  ])('set variables: %s → %s', (text, expected) => expect(expand(text, DEFAULTS)).toBe(expected));

  it('interpolates every string of a service and casts where the schema wants a number or a boolean', () => {
    const dir = tempProject({
      'compose.yaml': [
        'services:',
        '  servicea:',
        '    image: example:${USER}',
        '    volumes: ["/$FOO:/target"]',
        '    logging: {driver: "${FOO}", options: {user: "$USER"}}',
        '    deploy: {replicas: "$count"}',
        '    depends_on: {b: {condition: service_started, required: "$REQUIRED"}}',
        '  b: {image: b}',
        'networks:',
        '  foo: {name: "thing_${FOO}"}',
      ].join('\n'),
    });
    const { project } = load({ workingDir: dir, environment: DEFAULTS });
    const service = project.services.servicea!;
    expect(service.image).toBe('example:jenny');
    expect(service.logging).toEqual({ driver: 'bar', options: { user: 'jenny' } });
    expect((service.deploy as { replicas: unknown }).replicas).toBe(5);
    expect(service.depends_on.b!.required).toBe(true);
    expect(project.networks.foo!.name).toBe('thing_bar');
  });

  it('names the key path of an invalid reference', () => {
    const dir = tempProject({ 'compose.yaml': 'services:\n  servicea:\n    image: "${"\n' });
    expect(() => load({ workingDir: dir, environment: {} })).toThrow(/services\.servicea\.image/);
  });
});

describe('interpolated values where compose-go casts them (loader TestLoadWithInterpolationCastFull)', () => {
  it('numbers, booleans, durations, octal file modes', () => {
    const dir = tempProject({
      'compose.yaml': [
        'services:',
        '  web:',
        '    image: x',
        '    configs: [{source: appconfig, mode: "$theint"}]',
        '    secrets: [{source: super, mode: "$theint"}]',
        '    healthcheck: {retries: "${theint}", disable: $thebool}',
        '    deploy:',
        '      replicas: $theint',
        '      update_config: {parallelism: $theint, max_failure_ratio: $thefloat}',
        '      restart_policy: {max_attempts: $theint}',
        '      placement: {max_replicas_per_node: $theint}',
        '    ports: ["$theint", {target: $theint, published: "$theint", x-foo-bar: true}]',
        '    ulimits: {nproc: $theint, nofile: {hard: $theint, soft: $theint}}',
        '    privileged: $thebool',
        '    stop_grace_period: ${theduration}',
        '    volumes: [{source: data, type: volume, target: /data, read_only: $thebool, volume: {nocopy: $thebool}}]',
        'configs: {appconfig: {external: $thebool}}',
        'secrets: {super: {external: $thebool}}',
        'volumes: {data: {external: $thebool}}',
        'networks: {front: {external: $thebool, internal: $thebool, attachable: $thebool}}',
      ].join('\n'),
    });
    const { project } = load({ workingDir: dir, environment: { theint: '555', thefloat: '3.14', thebool: 'true', theduration: '60s' } });
    const web = project.services.web!;
    expect(web.configs).toEqual([{ source: 'appconfig', mode: 0o555 }]);
    expect(web.secrets).toEqual([{ source: 'super', target: '/run/secrets/super', mode: 0o555 }]);
    expect(web.healthcheck).toEqual({ retries: 555, disable: true });
    expect(web.deploy).toEqual({ replicas: 555, update_config: { parallelism: 555, max_failure_ratio: 3.14 }, restart_policy: { max_attempts: 555 }, placement: { max_replicas_per_node: 555 } });
    expect(web.ports).toEqual([
      { target: 555, protocol: 'tcp', mode: 'ingress' },
      { target: 555, published: '555', protocol: 'tcp', mode: 'ingress', 'x-foo-bar': true },
    ]);
    expect(web.ulimits).toEqual({ nproc: 555, nofile: { hard: 555, soft: 555 } });
    expect(web).toMatchObject({ privileged: true, stop_grace_period: '1m0s', volumes: [{ source: 'data', type: 'volume', target: '/data', read_only: true, volume: { nocopy: true } }] });
    expect(project.networks.front).toMatchObject({ external: true, internal: true, attachable: true });
    // compose prints file modes as octal strings.
    expect((toComposeJson(project).services as Record<string, { secrets: unknown }>).web!.secrets).toEqual([{ source: 'super', target: '/run/secrets/super', mode: '0555' }]);
  });

  it('a plain 0440 in YAML is octal, as go-yaml reads it', () => {
    const dir = tempProject({ 'compose.yaml': 'services:\n  web: {image: x, secrets: [{source: s, mode: 0440}]}\nsecrets: {s: {file: ./s}}\n', s: '' });
    expect(load({ workingDir: dir, environment: {} }).project.services.web!.secrets).toEqual([{ source: 's', target: '/run/secrets/s', mode: 0o440 }]);
  });
});
