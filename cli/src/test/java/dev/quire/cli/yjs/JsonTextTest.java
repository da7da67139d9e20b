package dev.quire.cli.yjs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void loneSurrogatesAreEscapedAndPairsKept() throws Exception {
        String value = "a\uD800b\uDC00c😀";
        var json = JsonNodeFactory.instance.objectNode().put("v", value);

        String text = JsonText.pretty(json);

        assertThat(text).contains("\"a\\ud800b\\udc00c😀\"");
        assertThat(new ObjectMapper().readTree(text).get("v").asText()).isEqualTo(value);
    }

    @Test
    void textWithoutSurrogatesIsUnchanged() {
        assertThat(JsonText.escapeLoneSurrogates("{\"v\": \"é\"}")).isEqualTo("{\"v\": \"é\"}");
    }

    @Test
    void deeplyNestedValuesCanBeWritten() {
        Object value = "leaf";
        for (int i = 0; i < 1000; i++) {
            value = java.util.List.of(value);
        }

        assertThat(JsonText.pretty(AnyJson.value(value))).contains("\"leaf\"");
    }
}
