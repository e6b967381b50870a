import { ValidationPipe, type INestApplication } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { ClusterIoAdapter } from './cluster/socket-adapter';
import { SafeJsonPipe } from './common/validation/safe-json.pipe';
import { accessLog } from './settings/access-log';
import { appConfig, databaseConfig } from './config';

/**
 * Security headers (helmet). The console's CSP allows scripts from its own origin only — no inline
 * script, no eval; Angular and Material set inline styles, so styles may be inline. `connect-src
 * 'self'` covers the API and the same-origin WebSocket; `img-src blob:` the object URLs of images
 * read behind auth (a dashboard validation's screenshot).
 */
const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    // blob: the stored screenshots the console fetches with its token and shows by object URL.
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * Cross-origin browser calls, on HTTP and on Socket.IO alike: only for the origins listed in
 * CORS_ORIGINS; none (no CORS headers) by default.
 */
function corsOptions(config: ConfigType<typeof appConfig>): { origin: string[] } | undefined {
  return config.corsOrigins.length ? { origin: config.corsOrigins } : undefined;
}

async function configureHttp(
  app: INestApplication,
  config: ConfigType<typeof appConfig>,
): Promise<void> {
  const express = app as NestExpressApplication;
  // First, so that every request has its id and logger, and a line when it is done. Outside a
  // request, a PinoLogger's logger is nestjs-pino's root; its type carries nestjs-pino's custom
  // levels (none here), pino-http's typing of `req.log` none, hence the cast (nestjs-pino's own).
  const root = (await app.resolve(PinoLogger)).logger as unknown as Logger;
  express.use(accessLog(root));
  express.set('trust proxy', config.trustProxy);
  // No ETag on API answers: express would encode and SHA-1 every JSON body for it, and no client
  // revalidates (the answers are per user and logs change while they run). The console's static
  // files keep theirs (serve-static). docs/performance-notes.md.
  express.set('etag', false);
  express.use(helmet({ contentSecurityPolicy: CONTENT_SECURITY_POLICY }));
  const cors = corsOptions(config);
  if (cors) express.enableCors(cors);
}

/** What every Taskdeck server gets on top of its modules; shared by main.ts and the tests. */
export async function configureApp(app: INestApplication): Promise<void> {
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  await configureHttp(app, config);
  const socketAdapter = new ClusterIoAdapter(app, { cors: corsOptions(config) });
  const { redisUrl } = config;
  const { url: databaseUrl } = app.get<ConfigType<typeof databaseConfig>>(databaseConfig.KEY);
  await socketAdapter.connect({ redisUrl, databaseUrl });
  app.useWebSocketAdapter(socketAdapter);
  app.setGlobalPrefix('api');
  app.useGlobalPipes(
    new SafeJsonPipe(),
    new ValidationPipe({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      stopAtFirstError: false,
    }),
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Taskdeck API')
      .setDescription('Plugin tasks and their separated, persistent, live logs.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);
}
