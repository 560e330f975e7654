package org.welcomeline.dialogue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.welcomeline.content.ContentCatalog;
import org.welcomeline.content.Locales;
import org.welcomeline.content.ServiceInfo;
import org.welcomeline.content.SmsText;
import org.welcomeline.model.InboundMessage;
import org.welcomeline.model.Reply;
import org.welcomeline.nlu.Intents;
import org.welcomeline.nlu.LanguageDetector.Detection;
import org.welcomeline.nlu.Nlu;
import org.welcomeline.nlu.Scored;
import org.welcomeline.nlu.TextNormalizer;
import org.welcomeline.store.Ids;
import org.welcomeline.store.Needs;

/**
 * Decides the answer to one message from the conversation state: commands first, then the
 * language, then the intent, then the answer. Pure (no IO), thread-safe.
 */
public final class Dialogue {
  /** How many languages a first-message language menu offers at most. */
  static final int LANGUAGE_MENU_SIZE = 5;

  /**
   * The answer plus the state to remember; {@code topic} for (un)subscribe commands, {@code district}
   * when a subscription is for one part of the city (null: the whole city); {@code data} for the
   * report flow ({@code need}, {@code topic}, {@code district}, {@code people}, {@code urgency},
   * {@code code}), which the service writes.
   */
  public record Outcome(Reply reply, ConversationState state, String topic, String district, Map<String, String> data) {
    public Outcome {
      data = data == null ? Map.of() : Map.copyOf(data);
    }

    public Outcome(Reply reply, ConversationState state) {
      this(reply, state, null, null, Map.of());
    }

    public Outcome(Reply reply, ConversationState state, String topic) {
      this(reply, state, topic, null, Map.of());
    }

    public Outcome(Reply reply, ConversationState state, String topic, String district) {
      this(reply, state, topic, district, Map.of());
    }

    Outcome with(Reply r, ConversationState s) {
      return new Outcome(r, s, topic, district, data);
    }
  }

  /** Menu kinds of the report flow: {@code report:text}, then {@code report:<step>:<need id>}. */
  static final String REPORT = "report:";

  /** The menu kind that asks for a subscription's district: {@code district:<topic>}. */
  static final String DISTRICT_MENU = "district:";

  /** Settings the dialogue needs, from the configuration. */
  public record Settings(String defaultLanguage, double intentThreshold, double languageThreshold,
                         String emergencyNumber, int maxTextChars, int smsSegmentBudget,
                         boolean plainPunctuation, int retentionDays, boolean discreetEmergency,
                         List<String> districts) {
    public Settings {
      districts = districts == null ? List.of() : List.copyOf(districts);
    }
  }

  private final Nlu nlu;
  private final ContentCatalog content;
  private final Locales locales;
  private final Commands commands;
  private final Settings settings;

  public Dialogue(Nlu nlu, ContentCatalog content, Locales locales, Commands commands, Settings settings) {
    this.nlu = nlu;
    this.content = content;
    this.locales = locales;
    this.commands = commands;
    this.settings = settings;
  }

  /**
   * Answers one message. SMS-like channels get the short SMS text, paginated to the segment budget
   * (the rest waits for MORE); other channels get the long web text.
   */
  public Outcome respond(ConversationState state, InboundMessage m) {
    Outcome o = decide(state, m.text(), m.language(), m.smsLike() ? "sms" : m.channel(), m.media());
    if (o.reply().intent().equals("command:more")) {
      return o;
    }
    o = o.with(o.reply(), o.state().withMore(List.of()));
    if (!m.smsLike() || o.reply().silent()) {
      return o;
    }
    Reply r = o.reply();
    String lang = r.language() == null ? settings.defaultLanguage() : r.language();
    String text = settings.plainPunctuation() ? SmsText.plainPunctuation(r.text()) : r.text();
    List<String> pages = SmsText.paginate(text, settings.smsSegmentBudget(),
        locales.format(lang, "more.prompt"), Locale.forLanguageTag(lang));
    if (pages.isEmpty()) {
      return o;
    }
    return o.with(new Reply(pages.get(0), r.language(), r.intent(), r.confidence(), r.options(), false),
        o.state().withMore(pages.subList(1, pages.size())));
  }

  Outcome decide(ConversationState state, String rawText, String explicitLanguage, String channel, int media) {
    String text = TextNormalizer.clean(rawText);
    String lang = state.language();
    if (explicitLanguage != null && nlu.languages().contains(explicitLanguage)) {
      lang = explicitLanguage;
      state = state.withLanguage(lang);
    }
    String replyLang = lang == null ? settings.defaultLanguage() : lang;
    if (text.isEmpty() && explicitLanguage != null && explicitLanguage.equals(lang)) {
      return languageChosen(state.clearMenu(), lang);
    }
    if (text.isEmpty() && media > 0) {
      return outcome(state, replyLang, locales.format(replyLang, "error.media"), "error:media");
    }
    if (text.isEmpty()) {
      return outcome(state, replyLang, locales.format(replyLang, "error.empty"), "error:empty");
    }
    if (rawText.length() > settings.maxTextChars()) {
      return outcome(state, replyLang, locales.format(replyLang, "error.too_long"), "error:too_long");
    }
    Optional<Command> command = commands.match(text);
    if (command.isPresent()) {
      return command(state, command.get(), replyLang, text);
    }
    String choice = Commands.asciiDigits(text.strip());
    if (state.menu() != null && state.menu().startsWith(REPORT)) {
      return reportStep(state, replyLang, rawText, text, choice);
    }
    if (state.menu() != null && state.menu().startsWith(DISTRICT_MENU) && choice.matches("\\d{1,2}")) {
      Optional<Outcome> o = districtChosen(state, replyLang, Integer.parseInt(choice));
      if (o.isPresent()) {
        return o.get();
      }
    }
    if (("language".equals(state.menu()) || "topic".equals(state.menu())) && choice.matches("\\d{1,2}")) {
      int i = Integer.parseInt(choice) - 1;
      if (i >= 0 && i < state.options().size()) {
        String picked = state.options().get(i);
        ConversationState cleared = state.clearMenu();
        if ("language".equals(state.menu())) {
          return languageChosen(cleared, picked);
        }
        return answer(cleared.withFailures(0), replyLang, picked, 1.0, channel);
      }
    }
    // language: explicit choice above > confident detection > the conversation's language
    Detection detection = nlu.detectLanguage(text);
    boolean shortText = TextNormalizer.letterCount(text) < 4
        || (TextNormalizer.tokens(text).size() <= 1 && TextNormalizer.letterCount(text) < 8);
    boolean confident = detection.confidence() >= settings.languageThreshold() && !shortText;
    if (explicitLanguage == null) {
      if (lang == null) {
        if (!confident) {
          return languageMenu(state, detection);
        }
        lang = detection.language();
      } else if (confident && !detection.language().equals(lang)
          && detection.confidenceOf(lang) < 0.15) {
        lang = detection.language();
      }
    }
    state = state.withLanguage(lang).clearMenu();
    String nluLang = nlu.supports(lang) ? lang : settings.defaultLanguage();
    List<Scored> ranking = nlu.classify(nluLang, text);
    if (ranking.isEmpty()) {
      return topicMenu(state.withFailures(state.failures() + 1), lang, true);
    }
    Scored top = ranking.get(0);
    if (top.name().equals("emergency") || top.confidence() >= settings.intentThreshold()) {
      return answer(state.withFailures(0), lang, top.name(), top.confidence(), channel);
    }
    return topicMenu(state.withFailures(state.failures() + 1), lang, true);
  }

  private Outcome command(ConversationState state, Command c, String replyLang, String text) {
    String lang = commandLanguage(state, c, text);
    ConversationState s = lang.equals(state.language()) || c.languages().isEmpty() ? state : state.withLanguage(lang);
    if (c.languages().isEmpty()) {
      lang = replyLang;
    }
    return switch (c.kind()) {
      case LANGUAGE -> languageChosen(s.clearMenu(), lang);
      case HELP -> outcome(s, lang, locales.format(lang, "help") + "\n"
          + locales.format(lang, "privacy.notice", "days", settings.retentionDays()), "command:help");
      case FORGET -> outcome(s, lang, locales.format(lang, "forget.confirm"), "command:forget");
      case MYDATA -> outcome(s, lang, "", "command:mydata"); // the service fills in what is stored
      case MYALERTS -> outcome(s, lang, "", "command:myalerts"); // the service lists the subscriptions
      case MENU -> topicMenu(s, lang, false);
      case MORE -> s.more().isEmpty()
          ? outcome(s, lang, locales.format(lang, "more.none"), "command:more")
          : outcome(s.withMore(s.more().subList(1, s.more().size())), lang, s.more().get(0), "command:more");
      case STOP -> outcome(s, lang, locales.format(lang, "stop.confirm"), "command:stop");
      case START -> outcome(s, lang, locales.format(lang, "start.confirm"), "command:start");
      case STOP_TOPIC -> new Outcome(new Reply(locales.format(lang, "unsubscribe.confirm", "topic",
          locales.format(lang, "topic." + c.topic())), lang, "command:unsubscribe", 1.0, List.of(), false), s, c.topic());
      case SUBSCRIBE -> subscribed(s.clearMenu(), lang, c.topic());
      case REPORT -> startReport(s.clearMenu(), lang);
      case STATUS -> new Outcome(new Reply("", lang, "command:report_status", 1.0, List.of(), false), s, null, null,
          Map.of("code", c.topic())); // the service looks the code up
    };
  }

  // ---- the report flow: what, where, how many, how urgent; every step skippable, never a name

  private Outcome startReport(ConversationState state, String lang) {
    return new Outcome(new Reply(locales.format(lang, "report.ask_text"), lang, "report:ask", 1.0, List.of(), false),
        state.withMenu(REPORT + "text", List.of()));
  }

  private Outcome reportStep(ConversationState state, String lang, String rawText, String text, String choice) {
    String[] parts = state.menu().split(":", 3);
    String step = parts[1];
    ConversationState cleared = state.clearMenu();
    if (step.equals("text")) {
      if (choice.equals("0")) {
        return outcome(cleared, lang, locales.format(lang, "report.cancelled"), "report:cancelled");
      }
      String need = Ids.next();
      Map<String, String> data = Map.of("need", need, "topic", reportTopic(lang, text), "text", rawText.strip());
      if (settings.districts().isEmpty()) {
        return new Outcome(new Reply(locales.format(lang, "report.ask_people"), lang, "report:created", 1.0, List.of(),
            false), state.withMenu(REPORT + "people:" + need, List.of()), null, null, data);
      }
      StringBuilder b = new StringBuilder(locales.format(lang, "report.ask_district"));
      List<String> districts = settings.districts();
      for (int i = 0; i < districts.size(); i++) {
        b.append('\n').append(i + 1).append(' ').append(locales.district(lang, districts.get(i)));
      }
      return new Outcome(new Reply(b.toString(), lang, "report:created", 1.0, districts, false),
          state.withMenu(REPORT + "district:" + need, districts), null, null, data);
    }
    String need = parts.length > 2 ? parts[2] : "";
    java.util.regex.Matcher number = java.util.regex.Pattern.compile("\\d{1,6}").matcher(choice);
    Integer n = number.find() ? Integer.valueOf(number.group()) : null;
    switch (step) {
      case "district" -> {
        if (n != null && n <= state.options().size()) {
          Map<String, String> data = new java.util.HashMap<>(Map.of("need", need));
          if (n > 0) {
            data.put("district", state.options().get(n - 1));
          }
          return new Outcome(new Reply(locales.format(lang, "report.ask_people"), lang, "report:district", 1.0,
              List.of(), false), cleared.withMenu(REPORT + "people:" + need, List.of()), null, null, data);
        }
      }
      case "people" -> {
        if (n != null) {
          Map<String, String> data = new java.util.HashMap<>(Map.of("need", need));
          if (n > 0) {
            data.put("people", String.valueOf(n));
          }
          return new Outcome(new Reply(locales.format(lang, "report.ask_urgency"), lang, "report:people", 1.0,
              List.of(), false), cleared.withMenu(REPORT + "urgency:" + need, List.of()), null, null, data);
        }
      }
      case "urgency" -> {
        if (n != null && n <= Needs.URGENCIES.size()) {
          Map<String, String> data = new java.util.HashMap<>(Map.of("need", need));
          if (n > 0) {
            data.put("urgency", Needs.URGENCIES.get(n - 1));
          }
          return new Outcome(new Reply("", lang, "report:done", 1.0, List.of(), false), cleared, null, null, data);
        }
      }
      default -> { }
    }
    // an answer that does not fit the question ends the questions: the report stays with what it has
    return new Outcome(new Reply("", lang, "report:done", 1.0, List.of(), false), cleared, null, null,
        Map.of("need", need));
  }

  /** The service topic a report is about: the best-ranked of the 12 topics for its text. */
  private String reportTopic(String lang, String text) {
    String nluLang = nlu.supports(lang) ? lang : settings.defaultLanguage();
    for (Scored s : nlu.classify(nluLang, text)) {
      if (Intents.TOPICS.contains(s.name())) {
        return s.name();
      }
    }
    return Intents.TOPICS.get(0);
  }

  /**
   * A topic subscription for the whole city, then (when the city has districts) a numbered menu to
   * narrow it to one district; 0 or any other message keeps it city-wide.
   */
  private Outcome subscribed(ConversationState state, String lang, String topic) {
    String confirm = locales.format(lang, "subscribe.confirm", "topic", locales.format(lang, "topic." + topic));
    List<String> districts = settings.districts();
    if (districts.isEmpty()) {
      return new Outcome(new Reply(confirm, lang, "command:subscribe", 1.0, List.of(), false), state, topic);
    }
    StringBuilder b = new StringBuilder(confirm).append('\n').append(locales.format(lang, "subscribe.ask_district"));
    for (int i = 0; i < districts.size(); i++) {
      b.append('\n').append(i + 1).append(' ').append(locales.district(lang, districts.get(i)));
    }
    return new Outcome(new Reply(b.toString(), lang, "command:subscribe", 1.0, districts, false),
        state.withMenu(DISTRICT_MENU + topic, districts), topic);
  }

  private Optional<Outcome> districtChosen(ConversationState state, String lang, int number) {
    String topic = state.menu().substring(DISTRICT_MENU.length());
    if (!Intents.TOPICS.contains(topic) || number > state.options().size()) {
      return Optional.empty();
    }
    ConversationState cleared = state.clearMenu();
    String topicName = locales.format(lang, "topic." + topic);
    if (number == 0) {
      return Optional.of(new Outcome(new Reply(locales.format(lang, "subscribe.confirm", "topic", topicName), lang,
          "command:subscribe", 1.0, List.of(), false), cleared, topic, null));
    }
    String district = state.options().get(number - 1);
    return Optional.of(new Outcome(new Reply(locales.format(lang, "subscribe.confirm.district", "topic", topicName,
        "district", locales.district(lang, district)), lang, "command:subscribe", 1.0, List.of(), false),
        cleared, topic, district));
  }

  /**
   * The language a command answers in: the conversation's if the keyword belongs to it (or is
   * neutral), the keyword's if it has one, else the detector's pick among the keyword's languages.
   */
  private String commandLanguage(ConversationState state, Command c, String text) {
    List<String> langs = c.languages();
    String current = state.language();
    if (langs.isEmpty()) {
      return current == null ? settings.defaultLanguage() : current;
    }
    if (current != null && langs.contains(current) && c.kind() != Command.Kind.LANGUAGE) {
      return current;
    }
    if (langs.size() == 1) {
      return langs.get(0);
    }
    String best = langs.get(0);
    double bestScore = -1;
    Detection d = nlu.detectLanguage(text);
    for (String l : langs) {
      if (d.confidenceOf(l) > bestScore) {
        bestScore = d.confidenceOf(l);
        best = l;
      }
    }
    return best;
  }

  private Outcome languageChosen(ConversationState state, String lang) {
    String text = locales.format(lang, "language.changed") + "\n" + locales.format(lang, "welcome");
    return outcome(state.withLanguage(lang), lang, text, "command:language");
  }

  private Outcome languageMenu(ConversationState state, Detection detection) {
    Set<String> options = new LinkedHashSet<>();
    for (Scored s : detection.ranking()) {
      if (options.size() < LANGUAGE_MENU_SIZE - 1 && s.confidence() > 0.05) {
        options.add(s.name());
      }
    }
    options.add(settings.defaultLanguage());
    for (String l : nlu.languages()) {
      if (options.size() >= LANGUAGE_MENU_SIZE) {
        break;
      }
      options.add(l);
    }
    List<String> opts = new ArrayList<>(options);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < opts.size(); i++) {
      b.append(i == 0 ? "" : "\n").append(locales.format(opts.get(i), "language.choose", "number", i + 1));
    }
    return new Outcome(new Reply(b.toString(), null, "menu:language", 1.0, opts, false),
        state.withMenu("language", opts));
  }

  private Outcome topicMenu(ConversationState state, String lang, boolean notUnderstood) {
    List<String> opts = new ArrayList<>(Intents.TOPICS);
    opts.add("human");
    StringBuilder b = new StringBuilder();
    if (notUnderstood) {
      b.append(locales.format(lang, "not_understood")).append('\n');
    }
    b.append(locales.format(lang, "menu.header"));
    for (int i = 0; i < opts.size(); i++) {
      b.append('\n').append(i + 1).append(' ').append(locales.format(lang, "topic." + opts.get(i)));
    }
    return new Outcome(new Reply(b.toString(), lang, notUnderstood ? "menu:not_understood" : "command:menu",
        1.0, opts, false), state.withMenu("topic", opts));
  }

  private Outcome answer(ConversationState state, String lang, String intent, double confidence, String channel) {
    String n = settings.emergencyNumber();
    String text;
    switch (intent) {
      case "greeting" -> text = locales.format(lang, "greeting.reply");
      case "human" -> {
        text = locales.format(lang, "human.handoff");
        state = state.withHandoff(true);
      }
      case "subscribe" -> text = locales.format(lang, "subscribe.reply");
      case "report_need" -> {
        return startReport(state, lang);
      }
      default -> text = serviceText(lang, intent, channel);
    }
    if (intent.equals("emergency") && settings.discreetEmergency() && "sms".equals(channel)) {
      // discreet: a phone's lock screen or a controlling partner may read this; neutral words, no topic
      // name, and a person takes over at once
      text = locales.format(lang, "discreet.reply", "number", n);
      state = state.withHandoff(true);
    } else if (intent.equals("emergency")) {
      text = locales.format(lang, "emergency.lead", "number", n) + "\n" + text;
    }
    return new Outcome(new Reply(text, lang, intent, confidence, List.of(), false), state);
  }

  /** The topic's answer in {@code lang}, or an explicit notice plus the default language's answer. */
  private String serviceText(String lang, String topic, String channel) {
    Optional<ServiceInfo> info = content.find(lang, topic);
    String prefix = "";
    if (info.isEmpty()) {
      info = content.find(settings.defaultLanguage(), topic);
      String noticeLang = locales.hasKey(lang, "fallback.notice") ? lang : settings.defaultLanguage();
      prefix = locales.format(noticeLang, "fallback.notice") + "\n";
    }
    if (info.isEmpty()) {
      return locales.format(lang, "help");
    }
    ServiceInfo s = info.get();
    String body = "sms".equals(channel) ? s.sms() : webText(s);
    return prefix + body.replace("{emergency_number}", settings.emergencyNumber());
  }

  private static String webText(ServiceInfo s) {
    StringBuilder b = new StringBuilder(s.web().isBlank() ? s.sms() : s.web());
    if (!s.address().isBlank()) {
      b.append("\n\uD83D\uDCCD ").append(s.address());
    }
    if (!s.hours().isBlank()) {
      b.append("\n\uD83D\uDD52 ").append(s.hours());
    }
    if (!s.contact().isBlank()) {
      b.append("\n\u260E ").append(s.contact());
    }
    return b.toString();
  }

  private static Outcome outcome(ConversationState state, String lang, String text, String intent) {
    return new Outcome(new Reply(text, lang, intent, 1.0, List.of(), false), state);
  }
}
