import type { Environment } from '@taskdeck/contracts';
import {
  EMPTY_DRAFT,
  createRequest,
  draftErrors,
  draftOf,
  updateRequest,
} from './environment-form';

const stored: Environment = {
  id: 'e1',
  name: 'Prod',
  url: 'https://bi.example',
  username: 'taskdeck',
  provider: 'db',
  verifyTls: true,
  hasPassword: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('environment form', () => {
  it('names what is missing; editing may keep the password', () => {
    expect(draftErrors(EMPTY_DRAFT, false)).toEqual({
      name: 'Name is required',
      url: 'URL must start with http:// or https:// and name a host',
      username: 'Username is required',
      password: 'Password is required',
    });
    expect(draftErrors(draftOf(stored), true)).toEqual({});
    expect(draftErrors({ ...draftOf(stored), url: 'ftp://x' }, true)).toHaveProperty('url');
  });

  it('creates with every field trimmed, and updates only what changed', () => {
    expect(
      createRequest({
        ...EMPTY_DRAFT,
        name: ' A ',
        url: ' http://x ',
        username: ' u ',
        password: ' p ',
      }),
    ).toEqual({
      name: 'A',
      url: 'http://x',
      username: 'u',
      password: ' p ',
      provider: 'db',
      verifyTls: true,
    });
    expect(updateRequest(stored, draftOf(stored))).toEqual({});
    expect(
      updateRequest(stored, {
        ...draftOf(stored),
        name: 'Production',
        verifyTls: false,
        password: 'new',
      }),
    ).toEqual({
      name: 'Production',
      verifyTls: false,
      password: 'new',
    });
  });
});
