import type { Connection } from '@taskdeck/contracts';
import {
  EMPTY_CONNECTION,
  connectionDraftOf,
  connectionErrors,
  createConnectionRequest,
  updateConnectionRequest,
} from './connection-form';

const existing: Connection = {
  id: 'c1',
  name: 'Warehouse',
  type: 'postgres',
  host: 'db.example',
  port: 5432,
  database: 'dwh',
  username: 'reader',
  hasPassword: true,
};

describe('connection form', () => {
  it('names every problem of a draft', () => {
    expect(connectionErrors({ ...EMPTY_CONNECTION, host: 'postgres://x', port: '0' })).toEqual({
      name: 'Name is required',
      host: 'Host must be a host name or an IP address',
      port: 'Port must be 1–65535',
      database: 'Database is required',
      username: 'Username is required',
    });
    expect(connectionErrors(connectionDraftOf(existing))).toEqual({});
  });

  it('creates with a password only when one was typed', () => {
    const draft = { ...connectionDraftOf(existing), name: ' New ' };
    expect(createConnectionRequest(draft)).toEqual({
      name: 'New',
      host: 'db.example',
      port: 5432,
      database: 'dwh',
      username: 'reader',
    });
    expect(createConnectionRequest({ ...draft, password: 'pw' }).password).toBe('pw');
  });

  it('updates only what changed; keeps, replaces or removes the password', () => {
    const draft = connectionDraftOf(existing);
    expect(updateConnectionRequest(existing, draft)).toEqual({});
    expect(updateConnectionRequest(existing, { ...draft, port: '6432', password: 'x' })).toEqual({
      port: 6432,
      password: 'x',
    });
    expect(updateConnectionRequest(existing, { ...draft, removePassword: true })).toEqual({
      password: '',
    });
  });
});
