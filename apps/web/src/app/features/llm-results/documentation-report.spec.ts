import { applyParams } from './documentation-report';
import { downloadUrl } from './validation-report';

describe('LLM plugin reports', () => {
  it('applies a dry run with the same params, dryRun off', () => {
    expect(
      applyParams({ environmentId: 'e', datasetId: 3, dryRun: true, language: 'Deutsch' }),
    ).toEqual({ environmentId: 'e', datasetId: 3, language: 'Deutsch', dryRun: false });
  });

  it('downloads a stored screenshot through the storage route', () => {
    expect(downloadUrl('screenshots/BI prod/1-x.png')).toBe(
      '/api/storage/files/download?path=screenshots%2FBI%20prod%2F1-x.png',
    );
  });
});
