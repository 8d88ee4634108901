package dev.mobilenet.training.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Learning rates against timm's CosineLRScheduler / StepLRScheduler (tools/make_train_fixtures.py). */
class ScheduleTest {

    static Schedule fromFixture(JsonNode s) {
        JsonNode a = s.get("args");
        double base = s.get("base_lr").asDouble();
        int upe = s.get("updates_per_epoch").asInt();
        int warmupT = a.path("warmup_t").asInt(0);
        double warmupInit = a.path("warmup_lr_init").asDouble(0);
        if (s.get("kind").asText().equals("cosine")) {
            return new Schedule.Cosine(base, a.get("t_initial").asInt(), a.path("lr_min").asDouble(0),
                    a.path("cycle_mul").asDouble(1), a.path("cycle_decay").asDouble(1), a.path("cycle_limit").asInt(1),
                    warmupT, warmupInit, a.path("warmup_prefix").asBoolean(false), a.path("k_decay").asDouble(1),
                    upe);
        }
        return new Schedule.Step(base, a.get("decay_t").asDouble(), a.path("decay_rate").asDouble(1), warmupT,
                warmupInit, a.path("warmup_prefix").asBoolean(true), upe);
    }

    @Test
    void matchesTimm() {
        int checked = 0;
        for (JsonNode s : TrainFixtures.MANIFEST.get("schedules")) {
            Schedule sched = fromFixture(s);
            JsonNode lrs = s.get("lrs");
            int upe = s.get("updates_per_epoch").asInt();
            for (int i = 0; i < lrs.size(); i++) {
                int epoch = upe > 0 ? i / upe : i;
                int step = upe > 0 ? i % upe : 0;
                double expected = lrs.get(i).asDouble();
                double got = sched.lr(epoch, step);
                assertEquals(expected, got, 1e-12 * Math.max(1, Math.abs(expected)),
                        s.get("kind").asText() + " " + s.get("args") + " at " + i);
                checked++;
            }
        }
        assertTrue(checked > 150, "checked " + checked + " learning rates");
    }
}
