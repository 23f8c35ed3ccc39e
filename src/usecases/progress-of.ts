import type { OperationEvent } from '../executor/run-operations.js';
import type { Operation } from '../planner/types.js';
import type { ProgressEvent } from '../progress/events.js';
import { redactSecrets } from '../secrets.js';
import { escapeControls } from '../terminal-text.js';

const VERBS: Record<string, [working: string, done: string]> = {
  CreateNetwork: ['Creating', 'Created'],
  RemoveNetwork: ['Removing', 'Removed'],
  CreateVolume: ['Creating', 'Created'],
  RemoveVolume: ['Removing', 'Removed'],
  CreateContainer: ['Creating', 'Created'],
  ConnectNetwork: ['Connecting', 'Connected'],
  DisconnectNetwork: ['Disconnecting', 'Disconnected'],
  CopyToContainer: ['Copying', 'Copied'],
  StartContainer: ['Starting', 'Started'],
  StopContainer: ['Stopping', 'Stopped'],
  RemoveContainer: ['Removing', 'Removed'],
  KillContainer: ['Killing', 'Killed'],
  PauseContainer: ['Pausing', 'Paused'],
  UnpauseContainer: ['Unpausing', 'Unpaused'],
  RestartContainer: ['Restarting', 'Restarted'],
  WaitContainer: ['Waiting', 'Ready'],
  PullImage: ['Pulling', 'Pulled'],
  BuildImage: ['Building', 'Built'],
  RemoveImage: ['Removing', 'Removed'],
};

function describe(operation: Operation, done: boolean): string {
  const [working, finished] = VERBS[operation.kind] ?? [operation.kind, operation.kind];
  const verb = done ? finished : working;
  if (operation.kind === 'CopyToContainer') return `${verb} ${operation.file.from} ${operation.file.name}`;
  if (operation.kind === 'ConnectNetwork' || operation.kind === 'DisconnectNetwork') return `${verb} ${operation.kind === 'ConnectNetwork' ? 'to' : 'from'} ${operation.network}`;
  // An optional wait ends either way: what happened was said in its progress line.
  if (operation.kind === 'WaitContainer' && operation.optional && done) return 'Done waiting';
  if (operation.kind === 'WaitContainer') return done ? { running: 'Running', healthy: 'Healthy', 'exited-successfully': 'Exited (0)' }[operation.condition] : `Waiting (${operation.condition})`;
  return verb;
}

/** The executor's operation events as progress events. */
export function progressOf(event: OperationEvent): ProgressEvent {
  const { operation } = event;
  const base = { time: new Date().toISOString(), id: operation.id, resource: operation.resource, kind: operation.kind };
  switch (event.type) {
    case 'started':
      return { ...base, status: 'working', text: describe(operation, false) };
    case 'progress':
      return { ...base, status: 'working', text: redactSecrets(escapeControls(event.text)), ...(event.transient ? { transient: true } : {}) };
    case 'done':
      return { ...base, status: 'done', text: describe(operation, true), seconds: Math.round(event.seconds * 1000) / 1000 };
    case 'failed':
      return { ...base, status: 'error', text: 'Error', error: redactSecrets(escapeControls(event.error.message)) };
  }
}
