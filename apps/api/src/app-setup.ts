import { ValidationPipe, type INestApplication } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ClusterIoAdapter } from './cluster/socket-adapter';
import { appConfig, databaseConfig } from './config';

/** What every Taskdeck server gets on top of its modules; shared by main.ts and the tests. */
export async function configureApp(app: INestApplication): Promise<void> {
  const socketAdapter = new ClusterIoAdapter(app);
  const { redisUrl } = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  const { url: databaseUrl } = app.get<ConfigType<typeof databaseConfig>>(databaseConfig.KEY);
  await socketAdapter.connect({ redisUrl, databaseUrl });
  app.useWebSocketAdapter(socketAdapter);
  app.setGlobalPrefix('api');
  app.useGlobalPipes(
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
