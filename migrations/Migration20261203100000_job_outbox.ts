import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE } from './rls.js';

/**
 * The job outbox: a transaction enqueues a job without a key by inserting a row here (cheap),
 * and `tessera_relay_job_outbox` moves committed rows into graphile-worker's queue in batches.
 * The app role may only insert: it neither reads another transaction's rows nor deletes them;
 * the relay runs as the owner, who owns the queue too. Its body names graphile-worker's objects
 * in SQL only, resolved when it runs: that schema is installed after these migrations.
 */
export class Migration20261203100000_job_outbox extends Migration {
  override async up(): Promise<void> {
    const statements = [
      `create table job_outbox (
        id bigint generated always as identity primary key,
        task text not null,
        payload json not null,
        max_attempts smallint not null check (max_attempts >= 1),
        run_at timestamptz
      )`,
      `grant insert on job_outbox to ${APP_ROLE}`,
      `create function tessera_relay_job_outbox(p_limit integer) returns integer
        language plpgsql security definer set search_path = public, pg_temp as $$
        declare
          v_specs json;
        begin
          with moved as (
            delete from job_outbox
            where id in (select id from job_outbox order by id limit least(greatest(p_limit, 1), 1000) for update skip locked)
            returning id, task, payload, max_attempts, run_at
          )
          select json_agg(json_build_object('identifier', task, 'payload', payload, 'max_attempts', max_attempts, 'run_at', run_at) order by id)
          into v_specs from moved;
          if v_specs is null then
            return 0;
          end if;
          perform graphile_worker.add_jobs(array(
            select json_populate_record(null::graphile_worker.job_spec, spec) from json_array_elements(v_specs) spec));
          return json_array_length(v_specs);
        end $$`,
      `revoke all on function tessera_relay_job_outbox(integer) from public`,
      `grant execute on function tessera_relay_job_outbox(integer) to ${APP_ROLE}`,
    ];
    for (const statement of statements) this.addSql(statement);
  }
}
