package org.mlmspark.eli5;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.mlmspark.eli5.ParseResult.Question;
import org.mlmspark.eli5.ParseResult.Rejected;

/**
 * Validates one ELI5 record (a JSON object, as one line of a JSON-lines file) and extracts what preprocessing
 * needs. Every way a record can be unusable maps to a {@link RejectReason} with a one-line detail, so nothing is
 * dropped silently. Not thread-safe (it reuses a decoder): one instance per task.
 *
 * <p>Required: {@code q_id} (non-blank), {@code title}, {@code subreddit} (strings) and {@code answers} with
 * non-empty {@code text}, plus {@code a_id} and {@code score} of the same length. The layout's other fields may
 * be missing or null, but when present must have their type.
 */
public final class Eli5Parser {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Eli5Schema schema;
  private final int maxTextChars;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  /** @param maxTextChars longest joined answer text accepted (guards executors against giant records) */
  public Eli5Parser(Eli5Schema schema, int maxTextChars) {
    this.schema = schema;
    this.maxTextChars = maxTextChars;
  }

  public ParseResult parse(byte[] line) {
    String text;
    try {
      text = utf8.decode(ByteBuffer.wrap(line)).toString();
    } catch (CharacterCodingException e) {
      return new Rejected(RejectReason.INVALID_UTF8, "invalid UTF-8 byte sequence at byte " + firstBadByte(line));
    }
    JsonNode record;
    try {
      record = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return new Rejected(RejectReason.MALFORMED_JSON, e.getOriginalMessage());
    }
    if (record == null || !record.isObject()) {
      return new Rejected(RejectReason.MALFORMED_JSON, "not a JSON object");
    }
    try {
      return question(record);
    } catch (Invalid e) {
      return e.rejection;
    }
  }

  private Question question(JsonNode record) throws Invalid {
    String qId = requiredString(record, "q_id");
    if (qId.isBlank()) {
      throw new Invalid(RejectReason.MISSING_FIELD, "q_id is blank");
    }
    requiredString(record, "title");
    String subreddit = requiredString(record, "subreddit");
    optionalString(record, "selftext");
    for (String field : schema.extraStringFields()) {
      optionalString(record, field);
    }

    JsonNode answers = required(record, "answers", "answers");
    if (!answers.isObject()) {
      throw wrongType("answers", answers, "an object");
    }
    List<String> texts = strings(required(answers, "text", "answers.text"), "answers.text");
    if (texts.isEmpty()) {
      throw new Invalid(RejectReason.EMPTY_ANSWERS, "answers.text is empty");
    }
    alignedArray(answers, "a_id", texts.size(), JsonNode::isTextual, "a string");
    alignedArray(answers, "score", texts.size(), JsonNode::isIntegralNumber, "an integer");
    for (String field : schema.extraAnswerArrays()) {
      if (answers.hasNonNull(field)) {
        alignedArray(answers, field, texts.size(), JsonNode::isArray, "an array");
      }
    }
    checkText(texts);
    return new Question(qId, subreddit, texts);
  }

  private void checkText(List<String> texts) throws Invalid {
    long joinedLength = texts.size() - 1L;
    for (String t : texts) {
      joinedLength += t.length();
    }
    if (joinedLength > maxTextChars) {
      throw new Invalid(
          RejectReason.TEXT_TOO_LONG,
          "joined answers have " + joinedLength + " chars, more than the limit " + maxTextChars);
    }
    for (String t : texts) {
      for (int i = 0; i < t.length(); i++) {
        char c = t.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < t.length() && Character.isLowSurrogate(t.charAt(i + 1))) {
          i++;
        } else if (Character.isSurrogate(c)) {
          throw new Invalid(
              RejectReason.UNPAIRED_SURROGATE,
              String.format("answers.text has an unpaired surrogate \\u%04x", (int) c));
        }
      }
    }
  }

  private static JsonNode required(JsonNode parent, String field, String path) throws Invalid {
    JsonNode value = parent.get(field);
    if (value == null) {
      throw new Invalid(RejectReason.MISSING_FIELD, "missing field " + path);
    }
    if (value.isNull()) {
      throw new Invalid(RejectReason.NULL_FIELD, "field " + path + " is null");
    }
    return value;
  }

  private static String requiredString(JsonNode record, String field) throws Invalid {
    JsonNode value = required(record, field, field);
    if (!value.isTextual()) {
      throw wrongType(field, value, "a string");
    }
    return value.textValue();
  }

  private static void optionalString(JsonNode record, String field) throws Invalid {
    JsonNode value = record.get(field);
    if (value != null && !value.isNull() && !value.isTextual()) {
      throw wrongType(field, value, "a string");
    }
  }

  private static List<String> strings(JsonNode array, String path) throws Invalid {
    if (!array.isArray()) {
      throw wrongType(path, array, "an array of strings");
    }
    List<String> values = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonNode item = array.get(i);
      if (item.isNull()) {
        throw new Invalid(RejectReason.NULL_FIELD, path + "[" + i + "] is null");
      }
      if (!item.isTextual()) {
        throw wrongType(path + "[" + i + "]", item, "a string");
      }
      values.add(item.textValue());
    }
    return values;
  }

  /** An {@code answers.*} array that runs parallel to {@code answers.text}. */
  private static void alignedArray(
      JsonNode answers, String field, int expectedLength, Predicate<JsonNode> itemType, String expected)
      throws Invalid {
    String path = "answers." + field;
    JsonNode array = required(answers, field, path);
    if (!array.isArray()) {
      throw wrongType(path, array, "an array");
    }
    if (array.size() != expectedLength) {
      throw new Invalid(
          RejectReason.WRONG_TYPE,
          path + " has " + array.size() + " entries but answers.text has " + expectedLength);
    }
    for (int i = 0; i < array.size(); i++) {
      if (!itemType.test(array.get(i))) {
        throw wrongType(path + "[" + i + "]", array.get(i), expected);
      }
    }
  }

  private static Invalid wrongType(String path, JsonNode value, String expected) {
    return new Invalid(
        RejectReason.WRONG_TYPE,
        "field " + path + " is " + value.getNodeType().name().toLowerCase(Locale.ROOT) + ", expected " + expected);
  }

  private int firstBadByte(byte[] line) {
    ByteBuffer in = ByteBuffer.wrap(line);
    CharBuffer out = CharBuffer.allocate(line.length);
    utf8.reset().decode(in, out, true);
    return in.position();
  }

  /** Carries a rejection out of the nested checks; never escapes {@link #parse}. */
  private static final class Invalid extends Exception {
    final Rejected rejection;

    Invalid(RejectReason reason, String detail) {
      super(detail, null, false, false);
      this.rejection = new Rejected(reason, detail);
    }
  }
}
