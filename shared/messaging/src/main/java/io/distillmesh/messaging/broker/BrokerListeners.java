package io.distillmesh.messaging.broker;

/**
 * Where a single-node broker listens and what it tells clients: the client and controller ports bound on
 * {@code bindHost}, and the {@code advertisedHost} clients reach the client port through.
 */
public record BrokerListeners(String bindHost, int brokerPort, int controllerPort, String advertisedHost) {
    public BrokerListeners {
        if (brokerPort < 0 || brokerPort > 65535 || controllerPort < 0 || controllerPort > 65535 || brokerPort == controllerPort) {
            throw new IllegalArgumentException("broker port " + brokerPort + " and controller port " + controllerPort
                    + " must be two different ports in 0..65535");
        }
        if (advertisedHost == null || advertisedHost.isBlank()) {
            throw new IllegalArgumentException("the advertised host is blank");
        }
    }

    /** Both listeners on the loopback address, as the tests' and the standalone mesh's broker runs. */
    public static BrokerListeners loopback(int brokerPort, int controllerPort) {
        return new BrokerListeners("127.0.0.1", brokerPort, controllerPort, "127.0.0.1");
    }

    public String advertisedBootstrap() {
        return advertisedHost + ":" + brokerPort;
    }

    /** The client port as seen from the broker's own host. */
    public String localBootstrap() {
        return "127.0.0.1:" + brokerPort;
    }
}
