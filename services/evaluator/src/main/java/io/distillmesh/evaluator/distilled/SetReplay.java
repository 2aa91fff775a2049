package io.distillmesh.evaluator.distilled;

import io.distillmesh.core.distill.DistilledReplay;
import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.distill.InitSampler;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Fresh networks of one init distribution: replica k starts at evaluation init k ({@link InitSampler#evaluation},
 * held out from the distillation's own inits in the random modes) and is trained on a set with exactly the set's
 * schedule and step sizes ({@link DistilledReplay}).
 */
final class SetReplay {
    private final InitSampler inits;

    SetReplay(InitSampler inits) {
        this.inits = inits;
    }

    MultiLayerNetwork trained(DistilledSet set, int replica) {
        return DistilledReplay.train(inits.newNetwork(), inits.evaluation(replica), set);
    }

    /** Replica {@code replica}'s network at its init, before any step. */
    MultiLayerNetwork untrained(int replica) {
        MultiLayerNetwork net = inits.newNetwork();
        net.setParams(inits.evaluation(replica));
        return net;
    }

    String network() {
        return inits.spec().network().describe();
    }
}
