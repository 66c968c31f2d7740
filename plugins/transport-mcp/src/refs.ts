import { createRef } from '@llm-bawt/sdk';
import type { TransportMcpState } from './state.js';

/** The MCP server's state: its config, its tools, the task pipeline and deliveries, where it listens. @public */
export const transportMcpRef = createRef<TransportMcpState>({ id: 'transport-mcp.state' });
