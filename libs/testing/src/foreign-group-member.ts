import { AssignerProtocol, type Kafka, type PartitionAssigner } from 'kafkajs';

/**
 * An assigner whose protocol no kafkajs consumer speaks: like a Java `kafka-console-consumer --group <ours>`
 * (protocols `range` / `cooperative-sticky`). It assigns nothing to anyone.
 */
const foreignAssigner: PartitionAssigner = () => ({
  name: 'ForeignAssigner',
  version: 1,
  protocol: ({ topics }) => ({ name: 'ForeignAssigner', metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) }),
  assign: async ({ members }) =>
    members.map((m) => ({ memberId: m.memberId, memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: {}, userData: Buffer.alloc(0) }) })),
});

/**
 * Puts a member of another partition-assignment protocol into `groupId` (real broker). While it is a member, a
 * kafkajs consumer joining the group is refused with INCONSISTENT_GROUP_PROTOCOL, a non-retriable error after which
 * kafkajs gives up on that consumer for good (its CRASH event says `restart: false`). `leave()` takes it out.
 */
export async function joinForeignGroupMember(kafka: Kafka, groupId: string, topics: string[]): Promise<{ leave: () => Promise<void> }> {
  const member = kafka.consumer({ groupId, partitionAssigners: [foreignAssigner], sessionTimeout: 10_000, heartbeatInterval: 1000 });
  const joined = new Promise<void>((resolve) => member.on(member.events.GROUP_JOIN, () => resolve()));
  await member.connect();
  await member.subscribe({ topics, fromBeginning: true });
  await member.run({ eachBatch: async () => undefined });
  await joined;
  return { leave: () => member.disconnect() };
}
