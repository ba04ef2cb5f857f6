"""Python peer of bench/turkic: ICU transliteration (python3-icu) and native fastText (python3-fasttext).

Usage: peer.py <text file> <icu rules file> <sentences file> <fastText model> <min seconds>
Prints one JSON object: MB/s per transliterator and sentences/s for detection.
"""
import json
import sys
import time

import fasttext
import icu


def rate(work, units, min_seconds):
    work()  # warm-up
    runs, start = 0, time.perf_counter()
    while True:
        work()
        runs += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds and runs >= 3:
            return units * runs / elapsed


def main():
    text_path, rules_path, sentences_path, model_path, min_seconds = sys.argv[1:6]
    min_seconds = float(min_seconds)
    text = open(text_path, encoding="utf-8").read()
    megabytes = len(text.encode("utf-8")) / 1e6
    any_latin = icu.Transliterator.createInstance("Any-Latin")
    custom = icu.Transliterator.createFromRules("kk-custom", open(rules_path, encoding="utf-8").read(), icu.UTransDirection.FORWARD)
    sentences = open(sentences_path, encoding="utf-8").read().splitlines()
    model = fasttext.load_model(model_path)
    result = {
        "icu_any_latin_mbps": rate(lambda: any_latin.transliterate(text), megabytes, min_seconds),
        "icu_custom_kk_mbps": rate(lambda: custom.transliterate(text), megabytes, min_seconds),
        "fasttext_sentences_per_s": rate(lambda: [model.predict(s, k=1) for s in sentences], len(sentences), min_seconds),
        "sample": custom.transliterate(text[:80]),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
