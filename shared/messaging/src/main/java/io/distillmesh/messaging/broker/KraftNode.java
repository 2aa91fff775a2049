package io.distillmesh.messaging.broker;

/**
 * One combined broker + controller of a KRaft cluster: its id, the cluster's id (every node formats its log with
 * the same one), the controller quorum ({@code id@host:port,...}) and the replication the cluster's internal topics
 * and new topics get; min.insync.replicas is one less than that (at least 1), so a cluster of three keeps taking
 * acks=all writes with one node down.
 */
public record KraftNode(int nodeId, String clusterId, BrokerListeners listeners, String quorumVoters, int replicationFactor) {
    public KraftNode {
        if (nodeId < 0) {
            throw new IllegalArgumentException("node id " + nodeId + " is negative");
        }
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalArgumentException("the cluster id is blank");
        }
        if (quorumVoters == null || !quorumVoters.matches("\\d+@[^,@]+:\\d+(,\\d+@[^,@]+:\\d+)*")) {
            throw new IllegalArgumentException("quorum voters must read id@host:port[,id@host:port...]: " + quorumVoters);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor " + replicationFactor + " is below 1");
        }
    }

    public int minInsyncReplicas() {
        return Math.max(1, replicationFactor - 1);
    }
}
