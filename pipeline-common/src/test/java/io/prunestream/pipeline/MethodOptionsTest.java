package io.prunestream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MethodOptionsTest {
    @Test
    void everyOptionIsNamedMethodDotKebabCaseAndItsDefaultIsInRange() {
        assertTrue(MethodOptions.known().size() >= 10, "options of the search and training methods");
        MethodOptions.known().forEach((key, option) -> {
            assertTrue(key.matches("[a-z]+\\.[a-z]+(-[a-z]+)*"), "option name " + key);
            assertTrue(option.defaultValue() >= option.min() && option.defaultValue() <= option.max(),
                    key + " default " + option.defaultValue() + " outside [" + option.min() + ", " + option.max() + "]");
        });
    }

    @Test
    void aJobReadsItsOwnValueOrTheDefault() {
        MethodOptions.Option weight = MethodOptions.known().get("distillation.weight");
        JobSpec plain = Samples.fullSpec();
        assertEquals(weight.defaultValue(), weight.of(plain));
        JobSpec distilled = plain.toBuilder().option(weight, 0.7).build();
        assertEquals(0.7, weight.of(distilled));
        assertEquals(List.of(), distilled.validate());
    }

    @Test
    void aValueOutOfRangeIsRefusedNamingTheRange() {
        JobSpec spec = Samples.fullSpec().toBuilder().methodOptions(Map.of("distillation.weight", 1.5)).build();
        List<String> problems = spec.validate();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("method option distillation.weight must be in [0.0, 1.0], got 1.5"),
                problems.get(0));
    }
}
