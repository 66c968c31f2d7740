import type { DeliveryService } from './bots/deliveries.js';
import type { TransportMcpConfig } from './config.js';
import type { McpToolbox } from './server/toolbox.js';
import type { TaskServices } from './tasks/index.js';

/** What the plugin keeps: its config, its tools and services, and the HTTP listener's address once started. @public */
export interface TransportMcpState {
  readonly config: TransportMcpConfig;
  readonly toolbox: McpToolbox;
  /** The agent task pipeline (tasks, steps, projects, activity); null without store-postgres. */
  readonly tasks: TaskServices | null;
  /** Bot-to-bot deliveries (`bot_messages`); null without store-postgres. */
  readonly deliveries: DeliveryService | null;
  /** `http://127.0.0.1:8001/mcp` once listening. */
  url: string | undefined;
  port: number | undefined;
}
