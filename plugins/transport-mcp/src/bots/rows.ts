import { iso } from '../db/iso.js';
import type { Delivery, DeliveryStatus } from './types.js';

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
const json = (value: unknown): Record<string, unknown> => (typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : ((value ?? {}) as Record<string, unknown>));

export function toDelivery(row: Record<string, unknown>): Delivery {
  return {
    id: String(row.id),
    sender_bot_id: String(row.sender_bot_id),
    target_bot_id: String(row.target_bot_id),
    user_id: String(row.user_id),
    message: String(row.message),
    message_kind: String(row.message_kind),
    status: row.status as DeliveryStatus,
    attempt_count: Number(row.attempt_count),
    max_attempts: Number(row.max_attempts),
    idempotency_key: text(row.idempotency_key),
    project_id: text(row.project_id),
    task_id: text(row.task_id),
    metadata: json(row.metadata),
    reply: text(row.reply),
    response_model: text(row.response_model),
    response_chars: row.response_chars === null || row.response_chars === undefined ? null : Number(row.response_chars),
    last_error: text(row.last_error),
    request_id: text(row.request_id),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    delivered_at: iso(row.delivered_at),
    cancelled_at: iso(row.cancelled_at),
  };
}
