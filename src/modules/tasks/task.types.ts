import { ConnectionType } from '../../engine/graphql/connection.js';
import { Task } from './task.entity.js';

export const TaskConnection = ConnectionType(Task);
export type TaskConnection = InstanceType<typeof TaskConnection>;
