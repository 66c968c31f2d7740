import type { DELIVERY_STATUSES } from '../db/migrations.js';

export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A bot-to-bot message and what became of it, as tools show it. */
export interface Delivery {
  id: string;
  sender_bot_id: string;
  target_bot_id: string;
  user_id: string;
  message: string;
  message_kind: string;
  status: DeliveryStatus;
  attempt_count: number;
  max_attempts: number;
  idempotency_key: string | null;
  project_id: string | null;
  task_id: string | null;
  metadata: Record<string, unknown>;
  reply: string | null;
  response_model: string | null;
  response_chars: number | null;
  last_error: string | null;
  request_id: string | null;
  created_at: string | null;
  updated_at: string | null;
  delivered_at: string | null;
  cancelled_at: string | null;
}

export interface SendInput {
  target: string;
  message: string;
  kind?: string | undefined;
  idempotencyKey?: string | undefined;
  projectId?: string | undefined;
  taskId?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
  maxTokens?: number | undefined;
  temperature?: number | undefined;
  maxAttempts?: number | undefined;
}

export const TERMINAL: ReadonlySet<DeliveryStatus> = new Set(['delivered', 'failed', 'cancelled']);
