package dev.berth.daemon.container;

import java.util.List;
import java.util.random.RandomGenerator;

/** Docker-style random names: {@code adjective_surname} (moby's namesgenerator, abridged). */
public final class NameGenerator {
    private static final List<String> LEFT = List.of(
            "admiring", "adoring", "affectionate", "agitated", "amazing", "angry", "awesome", "beautiful",
            "blissful", "bold", "boring", "brave", "busy", "charming", "clever", "compassionate", "competent",
            "condescending", "confident", "cool", "cranky", "crazy", "dazzling", "determined", "distracted",
            "dreamy", "eager", "ecstatic", "elastic", "elated", "elegant", "eloquent", "epic", "exciting",
            "fervent", "festive", "flamboyant", "focused", "friendly", "frosty", "funny", "gallant", "gifted",
            "goofy", "gracious", "great", "happy", "hardcore", "heuristic", "hopeful", "hungry", "infallible",
            "inspiring", "intelligent", "interesting", "jolly", "jovial", "keen", "kind", "laughing", "loving",
            "lucid", "magical", "modest", "musing", "mystifying", "naughty", "nervous", "nice", "nifty",
            "nostalgic", "objective", "optimistic", "peaceful", "pedantic", "pensive", "practical", "priceless",
            "quirky", "quizzical", "recursing", "relaxed", "reverent", "romantic", "sad", "serene", "sharp",
            "silly", "sleepy", "stoic", "strange", "stupefied", "suspicious", "sweet", "tender", "thirsty",
            "trusting", "unruffled", "upbeat", "vibrant", "vigilant", "vigorous", "wizardly", "wonderful",
            "xenodochial", "youthful", "zealous", "zen");
    private static final List<String> RIGHT = List.of(
            "agnesi", "albattani", "allen", "almeida", "archimedes", "ardinghelli", "aryabhata", "babbage",
            "banach", "bardeen", "bartik", "bell", "bhabha", "blackwell", "bohr", "booth", "borg", "bose",
            "brahmagupta", "brattain", "brown", "carson", "cerf", "chandrasekhar", "chatelet", "clarke",
            "colden", "cori", "curie", "darwin", "davinci", "dijkstra", "driscoll", "easley", "einstein",
            "elion", "engelbart", "euclid", "euler", "faraday", "fermat", "fermi", "feynman", "franklin",
            "galileo", "gates", "goldberg", "goldstine", "goodall", "hamilton", "hawking", "heisenberg",
            "hellman", "hermann", "hodgkin", "hopper", "hugle", "hypatia", "jackson", "jang", "jennings",
            "johnson", "kalam", "kapitsa", "keldysh", "kepler", "khorana", "knuth", "lalande", "lamarr",
            "lamport", "leakey", "leavitt", "lederberg", "lehmann", "lewin", "liskov", "lovelace", "lumiere",
            "mahavira", "matsumoto", "maxwell", "mayer", "mccarthy", "mclean", "meitner", "mendel", "merkle",
            "mirzakhani", "morse", "napier", "newton", "nobel", "noether", "northcutt", "noyce", "pare",
            "pascal", "pasteur", "payne", "perlman", "pike", "poincare", "ptolemy", "raman", "ride", "ritchie",
            "rosalind", "sammet", "shannon", "shaw", "shockley", "sinoussi", "snyder", "stonebraker",
            "swanson", "tesla", "thompson", "torvalds", "turing", "varahamihira", "visvesvaraya", "volhard",
            "wescoff", "wilbur", "wiles", "williams", "wilson", "wing", "wozniak", "wright", "wu", "yalow",
            "yonath", "zhukovsky");

    private final RandomGenerator random;

    public NameGenerator(RandomGenerator random) {
        this.random = random;
    }

    /** A random name; {@code retry > 0} appends a digit as moby does after collisions. */
    public String next(int retry) {
        while (true) {
            String name = LEFT.get(random.nextInt(LEFT.size())) + "_" + RIGHT.get(random.nextInt(RIGHT.size()));
            if (name.equals("boring_wozniak")) { // Steve Wozniak is not boring (moby)
                continue;
            }
            return retry > 0 ? name + random.nextInt(10) : name;
        }
    }
}
