"""Fictitious but realistic data, for the demo store, the tests, the benches and the screenshots: `opslag` fills a
whole store (people, koppelingen, trajecten, a ronde), `trajecten` makes trajecten in every phase, `rondes` a
matchingsronde. No real person is meant. The package itself imports nothing, so a module that needs only the core's
part (a ronde) loads no store."""
