import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Connection, ConnectionTestResult } from '@taskdeck/contracts';
import { Repository } from 'typeorm';
import { SecretUnreadableError } from '../../secrets/secret-box';
import { SecretsService } from '../../secrets/secrets.service';
import type { CreateConnectionDto } from './dto/create-connection.dto';
import type { UpdateConnectionDto } from './dto/update-connection.dto';
import { ConnectionEntity } from './entities/connection.entity';
import { openPostgres, postgresFailure, type PostgresTarget } from './postgres-session';

/** The purpose a connection's password is sealed for (bound into the ciphertext). */
export const CONNECTION_PASSWORD = 'connection.password';

export function toConnection(entity: ConnectionEntity): Connection {
  return {
    id: entity.id,
    name: entity.name,
    type: entity.type,
    host: entity.host,
    port: entity.port,
    database: entity.database,
    username: entity.username,
    hasPassword: entity.passwordSealed !== null,
  };
}

/** Database connections as stored; answers never carry the password, only `hasPassword`. */
@Injectable()
export class ConnectionsService {
  private readonly logger = new Logger(ConnectionsService.name);

  constructor(
    @InjectRepository(ConnectionEntity)
    private readonly connections: Repository<ConnectionEntity>,
    private readonly secrets: SecretsService,
  ) {}

  async list(): Promise<Connection[]> {
    const rows = await this.connections
      .createQueryBuilder('c')
      .orderBy('lower(c.name)', 'ASC')
      .getMany();
    return rows.map(toConnection);
  }

  async get(id: string): Promise<Connection> {
    return toConnection(await this.entity(id));
  }

  async create(body: CreateConnectionDto, by: string): Promise<Connection> {
    const entity = this.connections.create({
      name: body.name,
      type: body.type ?? 'postgres',
      host: body.host,
      port: body.port ?? 5432,
      database: body.database,
      username: body.username,
      passwordSealed: this.sealed(body.password),
    });
    const saved = await this.save(entity);
    this.logger.log(`audit: ${by} added connection "${saved.name}" (${where(saved)})`);
    return toConnection(saved);
  }

  async update(id: string, body: UpdateConnectionDto, by: string): Promise<Connection> {
    const entity = await this.entity(id);
    for (const key of ['name', 'type', 'host', 'port', 'database', 'username'] as const) {
      if (body[key] !== undefined) (entity[key] as unknown) = body[key];
    }
    if (body.password !== undefined) entity.passwordSealed = this.sealed(body.password);
    const saved = await this.save(entity);
    const changed = Object.keys(body).sort().join(', ') || 'nothing';
    this.logger.log(`audit: ${by} changed connection "${saved.name}": ${changed}`);
    return toConnection(saved);
  }

  async remove(id: string, by: string): Promise<void> {
    const entity = await this.entity(id);
    await this.connections.delete({ id });
    this.logger.log(`audit: ${by} deleted connection "${entity.name}"`);
  }

  /** Connects, asks the server's version, disconnects; never throws for the database's trouble. */
  async test(id: string): Promise<ConnectionTestResult> {
    let target: PostgresTarget;
    try {
      target = await this.target(id);
    } catch (error) {
      if (error instanceof SecretUnreadableError) return { ok: false, error: error.message };
      throw error;
    }
    try {
      const session = await openPostgres(target, { connectTimeoutMs: 10_000 });
      try {
        const rows = await session.query<{ version: string }>(
          "SELECT current_setting('server_version') AS version",
        );
        return { ok: true, serverVersion: rows[0]?.version };
      } finally {
        await session.close();
      }
    } catch (error) {
      return { ok: false, error: postgresFailure(target, error).message };
    }
  }

  /** What a session needs, the password opened for this one use. */
  async target(id: string): Promise<PostgresTarget> {
    const entity = await this.entity(id);
    return {
      name: entity.name,
      host: entity.host,
      port: entity.port,
      database: entity.database,
      username: entity.username,
      password:
        entity.passwordSealed === null
          ? undefined
          : this.secrets.open(entity.passwordSealed, CONNECTION_PASSWORD),
    };
  }

  private sealed(password: string | undefined): string | null {
    return password ? this.secrets.seal(password, CONNECTION_PASSWORD) : null;
  }

  private async entity(id: string): Promise<ConnectionEntity> {
    const entity = await this.connections.findOneBy({ id });
    if (!entity) throw new NotFoundException(`connection ${id} not found`);
    return entity;
  }

  private async save(entity: ConnectionEntity): Promise<ConnectionEntity> {
    try {
      return await this.connections.save(entity);
    } catch (error) {
      // 23505: unique_violation on lower(name).
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw new ConflictException(`a connection named "${entity.name}" exists already`);
      }
      throw error;
    }
  }
}

function where(c: { host: string; port: number; database: string }): string {
  return `${c.host}:${c.port}/${c.database}`;
}
