import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../src/engine/project-containers.js';
import { humanDuration, psRecord, renderPs } from '../../src/cli/ps-format.js';

const CREATED = Date.parse('2026-12-01T10:00:00Z') / 1000;
const NOW = CREATED * 1000 + 5 * 60_000;

const web: ContainerSummary = {
  ID: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  Name: 'demo-web-1',
  Names: ['/demo-web-1', '/demo-api-1/web'],
  Image: 'nginx',
  Command: "sh -c 'exec httpd -f -p 80 -h /www'",
  Project: 'demo',
  Service: 'web',
  Created: CREATED,
  State: 'running',
  Status: 'Up 5 minutes (healthy)',
  Health: 'healthy',
  ExitCode: 0,
  Publishers: [
    { URL: '127.0.0.1', TargetPort: 80, PublishedPort: 8080, Protocol: 'tcp' },
    { URL: '', TargetPort: 9000, PublishedPort: 0, Protocol: 'tcp' },
  ],
  Labels: { 'com.docker.compose.service': 'web', 'com.docker.compose.project': 'demo' },
  Mounts: ['a-rather-long-volume-name'],
  Networks: ['demo_default'],
  LocalVolumes: 1,
};

describe('ps --format json', () => {
  it('prints compose\'s record, one JSON line per container, with its field names and values', () => {
    const output = renderPs([psRecord(web, { trunc: true, now: NOW })], [web.Labels], 'json');
    expect(output.endsWith('\n')).toBe(true);
    expect(output.split('\n')).toHaveLength(2);
    // Go's encoding/json escapes > as \u003e, as compose's output shows it.
    expect(output).toContain('"Ports":"127.0.0.1:8080-\\u003e80/tcp, 9000/tcp"');
    expect(Object.keys(JSON.parse(output))).toEqual([
      'Command', 'CreatedAt', 'ExitCode', 'Health', 'ID', 'Image', 'Labels', 'LocalVolumes', 'Mounts', 'Name', 'Names',
      'Networks', 'Ports', 'Project', 'Publishers', 'RunningFor', 'Service', 'Size', 'State', 'Status',
    ]);
    expect(JSON.parse(output)).toEqual({
      Command: '"sh -c \'exec httpd -…"',
      CreatedAt: '2026-12-01 10:00:00 +0000 UTC',
      ExitCode: 0,
      Health: 'healthy',
      ID: '0123456789ab',
      Image: 'nginx',
      Labels: 'com.docker.compose.project=demo,com.docker.compose.service=web',
      LocalVolumes: '1',
      Mounts: 'a-rather-long-…',
      Name: 'demo-web-1',
      Names: 'demo-web-1',
      Networks: 'demo_default',
      Ports: '127.0.0.1:8080->80/tcp, 9000/tcp',
      Project: 'demo',
      Publishers: [
        { URL: '127.0.0.1', TargetPort: 80, PublishedPort: 8080, Protocol: 'tcp' },
        { URL: '', TargetPort: 9000, PublishedPort: 0, Protocol: 'tcp' },
      ],
      RunningFor: '5 minutes ago',
      Service: 'web',
      Size: '0B',
      State: 'running',
      Status: 'Up 5 minutes (healthy)',
    });
  });

  it('--no-trunc keeps the whole id, command, names and mounts', () => {
    const record = JSON.parse(renderPs([psRecord(web, { trunc: false, now: NOW })], [web.Labels], 'json'));
    expect(record).toMatchObject({ ID: web.ID, Command: JSON.stringify(web.Command), Names: 'demo-web-1,demo-api-1/web', Mounts: 'a-rather-long-volume-name' });
  });
});

describe('ps --format templates', () => {
  const records = [psRecord(web, { trunc: true, now: NOW }), psRecord({ ...web, Name: 'demo-db-1', Service: 'db', State: 'exited', ExitCode: 3, Health: '', Publishers: [] }, { trunc: true, now: NOW })];
  const labels = [web.Labels, { ...web.Labels, 'com.docker.compose.service': 'db' }];

  it('fills fields, json and functions, one line per container', () => {
    expect(renderPs(records, labels, '{{.Name}} {{.State}} {{.ExitCode}}')).toBe('demo-web-1 running 0\ndemo-db-1 exited 3\n');
    expect(renderPs(records, labels, '{{json .Publishers}}')).toBe('[{"URL":"127.0.0.1","TargetPort":80,"PublishedPort":8080,"Protocol":"tcp"},{"URL":"","TargetPort":9000,"PublishedPort":0,"Protocol":"tcp"}]\n[]\n');
    expect(renderPs(records.slice(0, 1), labels, '{{.Publishers}}')).toBe('[{127.0.0.1 80 8080 tcp} { 9000 0 tcp}]\n');
    expect(renderPs(records, labels, '{{upper .Service}}:{{.Label "com.docker.compose.service"}}')).toBe('WEB:web\nDB:db\n');
    expect(JSON.parse(renderPs(records.slice(0, 1), labels, '{{json .}}')).Name).toBe('demo-web-1');
  });

  it('a table template aligns columns under compose\'s headers', () => {
    expect(renderPs(records, labels, 'table {{.Name}}\\t{{.RunningFor}}\\t{{.State}}')).toBe(
      ['NAME         CREATED         STATE', 'demo-web-1   5 minutes ago   running', 'demo-db-1    5 minutes ago   exited', ''].join('\n'),
    );
    expect(renderPs(records, labels, 'table').split('\n')[0]).toMatch(/^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS$/);
  });

  it('refuses an unknown field or function, naming it', () => {
    expect(() => renderPs(records, labels, '{{.Nmae}}')).toThrow(/unknown field \.Nmae/);
    expect(() => renderPs(records, labels, '{{shout .Name}}')).toThrow(/unknown function "shout"/);
    expect(() => renderPs(records, labels, '{{.Name')).toThrow(/unclosed action/);
  });
});

it('durations are worded as docker words them', () => {
  expect(humanDuration(500)).toBe('Less than a second');
  expect(humanDuration(1000)).toBe('1 second');
  expect(humanDuration(90_000)).toBe('About a minute');
  expect(humanDuration(3 * 3_600_000)).toBe('3 hours');
  expect(humanDuration(20 * 24 * 3_600_000)).toBe('2 weeks');
});
