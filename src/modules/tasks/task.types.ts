import { ConnectionType } from '../../common/connection.js';
import { Task } from './task.entity.js';

export const TaskConnection = ConnectionType(Task);
export type TaskConnection = InstanceType<typeof TaskConnection>;
