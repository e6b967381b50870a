// What a superset-tier test knows about the running instances (written by scripts/superset).
import { readFileSync } from 'node:fs';
import type { SupersetConnection } from '../../src/superset/client/superset-client';
import {
  seedFile,
  stateFile,
  type InstanceState,
  type SeedResult,
} from '../../../../scripts/superset/paths';

export interface Instance {
  state: InstanceState;
  seed: SeedResult;
  connection: SupersetConnection;
}

export function instance(name: 'a' | 'b'): Instance {
  const state = JSON.parse(readFileSync(stateFile(name), 'utf8')) as InstanceState;
  const seed = JSON.parse(readFileSync(seedFile(name), 'utf8')) as SeedResult;
  return {
    state,
    seed,
    connection: {
      url: state.url,
      username: state.username,
      password: state.password,
      provider: 'db',
      verifyTls: true,
    },
  };
}
