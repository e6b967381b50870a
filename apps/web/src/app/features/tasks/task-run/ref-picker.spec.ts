import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { fieldsOf } from './params-schema';
import { RefPicker } from './ref-picker';

const [dataset] = fieldsOf({
  type: 'object',
  properties: {
    datasetId: {
      type: 'integer',
      title: 'Dataset',
      'x-taskdeck-ref': { kind: 'dataset', environmentField: 'environmentId' },
    },
  },
});

describe('RefPicker', () => {
  let fixture: ComponentFixture<RefPicker>;
  let http: HttpTestingController;

  /** Runs effects and renders; the resource's request is then pending (whenStable would wait on it). */
  function tick(): HTMLElement {
    TestBed.tick();
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }

  async function settle(): Promise<HTMLElement> {
    await fixture.whenStable();
    return tick();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [RefPicker],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    fixture = TestBed.createComponent(RefPicker);
    fixture.componentRef.setInput('field', dataset);
    http = TestBed.inject(HttpTestingController);
  });

  it('waits for the environment, then lists that environment’s datasets, and follows a change', async () => {
    let page = tick();
    expect(page.textContent).toContain('Choose the environment first');
    http.expectNone(() => true);

    fixture.componentRef.setInput('environmentId', 'env-a');
    tick();
    http
      .expectOne('/api/environments/env-a/datasets')
      .flush([
        { id: 7, uuid: 'u7', tableName: 'orders', schema: 'public', databaseName: 'warehouse' },
      ]);
    page = await settle();
    const options = () =>
      [...page.querySelectorAll('option')].map((o) => [o.value, o.textContent?.trim()]);
    expect(options()).toEqual([
      ['', '(none)'],
      ['7', 'public.orders · warehouse (#7)'],
    ]);

    fixture.componentRef.setInput('environmentId', 'env-b');
    tick();
    http.expectOne('/api/environments/env-b/datasets').flush([]);
    page = await settle();
    expect(page.querySelector('[data-testid="options-empty-datasetId"]')).not.toBeNull();
  });

  it('shows why the options did not load, and takes the value as text instead', async () => {
    fixture.componentRef.setInput('environmentId', 'env-a');
    tick();
    http
      .expectOne('/api/environments/env-a/datasets')
      .flush(
        { statusCode: 502, message: 'Superset at http://x cannot be reached (ECONNREFUSED)' },
        { status: 502, statusText: 'Bad Gateway' },
      );
    const page = await settle();
    expect(page.querySelector('[data-testid="options-error-datasetId"]')?.textContent).toContain(
      'cannot be reached',
    );
    expect(page.querySelector('input[data-testid="param-datasetId"]')).not.toBeNull();
  });
});
