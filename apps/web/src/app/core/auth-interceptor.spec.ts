import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { SESSION_STORAGE_KEY } from './auth';
import { authInterceptor } from './auth-interceptor';
import { storeSignedInSession } from './auth.testing';

describe('authInterceptor', () => {
  let token: string;
  let http: HttpClient;
  let server: HttpTestingController;
  let navigate: ReturnType<typeof vi.spyOn>;

  beforeEach(() => {
    token = storeSignedInSession();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
      ],
    });
    http = TestBed.inject(HttpClient);
    server = TestBed.inject(HttpTestingController);
    navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
  });

  afterEach(() => {
    server.verify();
    localStorage.clear();
  });

  it('sends the token to the API only', async () => {
    const api = firstValueFrom(http.get('/api/tasks'));
    const other = firstValueFrom(http.get('/assets/x.json'));
    const toApi = server.expectOne('/api/tasks');
    const elsewhere = server.expectOne('/assets/x.json');
    expect(toApi.request.headers.get('Authorization')).toBe(`Bearer ${token}`);
    expect(elsewhere.request.headers.has('Authorization')).toBe(false);
    toApi.flush([]);
    elsewhere.flush({});
    await Promise.all([api, other]);
  });

  it('signs out on a refused session and tells the login page why', async () => {
    const answer = firstValueFrom(http.get('/api/tasks'));
    server
      .expectOne('/api/tasks')
      .flush({ message: 'Unauthorized' }, { status: 401, statusText: 'Unauthorized' });
    await expect(answer).rejects.toMatchObject({ status: 401 });
    expect(navigate).toHaveBeenCalledWith(['/login'], {
      queryParams: expect.objectContaining({ reason: 'ended' }) as unknown,
    });
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('leaves a failed login to the login page', async () => {
    const answer = firstValueFrom(http.post('/api/auth/login', {}));
    server
      .expectOne('/api/auth/login')
      .flush({ message: 'wrong' }, { status: 401, statusText: 'Unauthorized' });
    await expect(answer).rejects.toMatchObject({ status: 401 });
    expect(navigate).not.toHaveBeenCalled();
  });
});
