import { isUuid } from './uuid';

describe('isUuid', () => {
  it('takes any version, in either case', () => {
    expect(isUuid('6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f')).toBe(true);
    expect(isUuid('6F1C2A4E-8D3B-4C5A-9E7F-0A1B2C3D4E5F')).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
  });

  it.each([
    ['42'],
    [''],
    ['6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5'],
    ['6f1c2a4e8d3b4c5a9e7f0a1b2c3d4e5f'],
    [42],
    [null],
  ])('refuses %j', (value) => expect(isUuid(value)).toBe(false));
});
