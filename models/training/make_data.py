"""Writes the project's own training set for the embedded sentiment head (deterministic); the
news stance head trains on NewsMTSC and PerSenT (models/training/data/, news_stance.py).

    python -m newsflow.models.training.make_data

Every sentence comes from the templates and word lists below, written for newsflow (licence:
CC0-1.0, the project's own data). Company names are invented; public figures, countries and
teams appear only as stance targets in invented sentences. Nothing here is copied from, or
selected with, any evaluation set.

Output: models/training/sentiment_train.jsonl ({"text","label"}).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20240611

# --------------------------------------------------------------------------------------------
# Sentiment: slot lists
# --------------------------------------------------------------------------------------------
COMPANIES = [
    "Norvatek", "Halden Group", "Brightwater Foods", "Kestrel Airlines", "Meridian Steel",
    "Ostrava Paper", "Lumo Telecom", "Ardent Pharma", "Vellum Retail", "Tidewell Energy",
    "Corvin Logistics", "Saltmarsh Bank", "Polaris Cables", "Granite Insurance", "Fenwick Motors",
    "Ironbark Mining", "Quayside Media", "Sunvale Chemicals", "Birchway Construction",
    "Nordlys Shipping", "Castellan Software", "Redfern Brewing", "Aurelia Hotels", "Pinecrest Health",
]
PRODUCTS = [
    "packaging board", "mobile network services", "commercial vehicles", "steel tubes",
    "frozen foods", "industrial pumps", "generic medicines", "cloud software", "power cables",
    "elevators", "consumer electronics", "paper machines", "wind turbines", "cargo cranes",
    "building materials", "passenger flights", "cosmetics", "security systems",
]
CLIENTS = [
    "a Swedish utility", "the Polish railways", "a German carmaker", "a US hospital group",
    "the city of Rotterdam", "a Chinese shipyard", "the Norwegian navy", "a Brazilian miner",
    "an Indian telecom operator", "a Canadian retailer",
]
REGIONS = ["Europe", "Asia", "North America", "the Nordic countries", "Latin America",
           "the Middle East", "Eastern Europe", "Africa", "the domestic market", "China"]
CITIES = ["Helsinki", "Lyon", "Gdansk", "Porto", "Leeds", "Bremen", "Turin", "Tampere", "Osaka",
          "Denver", "Bilbao", "Aarhus", "Brno", "Valencia", "Cork", "Kaunas"]
PERIODS = ["first quarter", "second quarter", "third quarter", "fourth quarter", "first half",
           "second half", "financial year", "January-June period", "nine-month period"]
CURRENCIES = ["EUR", "USD", "GBP", "SEK", "euros", "dollars"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
PEOPLE = ["Anna Lindqvist", "Marco Bellini", "Sarah Okafor", "Jukka Rantanen", "Priya Nair",
          "Thomas Becker", "Elena Petrova", "David Osei", "Laura Jimenez", "Kenji Watanabe"]
ROLES = ["chief executive", "chief financial officer", "head of sales", "chairman",
         "chief operating officer", "head of investor relations"]
EXCHANGES = ["Helsinki stock exchange", "London Stock Exchange", "Nasdaq", "Frankfurt exchange",
             "Euronext Paris", "Oslo Bors"]
TEAMS = ["Riverside Rovers", "Northport City", "the Harbour Hawks", "Eastfield United",
         "the Valley Giants", "Kingsbridge Athletic", "the Coastal Sharks", "Old Mill Wanderers"]
COUNTRIES = ["Portugal", "Kenya", "Vietnam", "Chile", "Poland", "Ghana", "Indonesia", "Peru",
             "Norway", "Morocco", "Canada", "the Philippines", "Hungary", "Colombia"]
INDEXES = ["the FTSE 100", "the DAX", "the S&P 500", "the Nikkei", "the main index",
           "the benchmark index", "the CAC 40", "the Stoxx 600"]
INSTITUTES = ["the national statistics office", "the central bank", "the finance ministry",
              "the labour ministry", "the IMF", "the OECD"]


def _num(r: random.Random) -> str:
    return str(r.choice([r.randint(2, 99), r.randint(100, 990)]))


def _pct(r: random.Random) -> str:
    return r.choice([str(r.randint(2, 45)), f"{r.randint(1, 30)}.{r.randint(1, 9)}"])


def _fill(template: str, r: random.Random) -> str:
    slots = {
        "co": lambda: r.choice(COMPANIES), "co2": lambda: r.choice(COMPANIES),
        "product": lambda: r.choice(PRODUCTS), "client": lambda: r.choice(CLIENTS),
        "region": lambda: r.choice(REGIONS), "city": lambda: r.choice(CITIES),
        "period": lambda: r.choice(PERIODS), "cur": lambda: r.choice(CURRENCIES),
        "num": lambda: _num(r), "num2": lambda: _num(r), "pct": lambda: _pct(r),
        "n": lambda: str(r.choice([40, 120, 250, 300, 450, 600, 800, 1200, 2000, 3500])),
        "day": lambda: r.choice(DAYS), "month": lambda: r.choice(MONTHS),
        "person": lambda: r.choice(PEOPLE), "role": lambda: r.choice(ROLES),
        "exchange": lambda: r.choice(EXCHANGES), "team": lambda: r.choice(TEAMS),
        "team2": lambda: r.choice(TEAMS), "country": lambda: r.choice(COUNTRIES),
        "country2": lambda: r.choice(COUNTRIES), "index": lambda: r.choice(INDEXES),
        "inst": lambda: r.choice(INSTITUTES), "small": lambda: f"0.{r.randint(10, 95)}",
        "years": lambda: str(r.randint(2, 15)), "year": lambda: str(r.randint(2015, 2025)),
    }
    out = re.sub(r"\{(\w+)\}", lambda m: slots[m.group(1)](), template)
    return out[0].upper() + out[1:]


POSITIVE = [
    # company results
    "{co} reported a {pct}% rise in {period} net profit, beating analysts' forecasts.",
    "{co}'s operating profit increased to {cur} {num} million from {cur} {num2} million a year earlier.",
    "Revenue at {co} grew {pct}% in the {period} as demand for its {product} strengthened.",
    "{co} raised its full-year outlook after a stronger than expected {period}.",
    "{co} has won a {cur} {num} million order to supply {product} to {client}.",
    "Shares in {co} jumped {pct}% after the company announced record orders.",
    "{co} will raise its dividend to {cur} {small} per share after a profitable year.",
    "The merger is expected to deliver annual cost savings of about {cur} {num} million.",
    "{co} swung back to profit in the {period} after two years of losses.",
    "Net sales of {co} rose by {pct}% to {cur} {num} million.",
    "{co}'s order backlog climbed to an all-time high at the end of the {period}.",
    "The new {product} plant in {city} will create {n} jobs.",
    "{co} secured a long-term deal with {client} worth {cur} {num} million.",
    "Margins improved markedly thanks to lower raw material costs and higher volumes.",
    "{co} said earnings per share more than doubled in the {period}.",
    "Analysts upgraded {co} to buy, citing strong cash flow and a healthy balance sheet.",
    "{co} expects sales to grow further next year as its new {product} range sells well.",
    "Cash flow from operations improved significantly, allowing {co} to pay down debt.",
    "{co} completed the acquisition, strengthening its position in {region}.",
    "Passenger numbers at {co} hit a record in the {period}.",
    "Profits soared to a record and the company raised its dividend.",
    # economy and markets
    "Unemployment in {country} fell to its lowest level in {years} years.",
    "The economy of {country} grew faster than expected in the {period}.",
    "Inflation eased for a fifth straight month, bringing relief to households.",
    "Stocks rallied and {index} closed at a record high.",
    "Consumer confidence rebounded strongly in {month}.",
    "Exports from {country} surged to a record, boosting growth.",
    "Wages are rising faster than prices for the first time in {years} years.",
    "The central bank cut interest rates, easing pressure on borrowers.",
    "Factory output recovered sharply as supply bottlenecks eased.",
    "Investors welcomed the budget, and government bond yields fell.",
    # politics, diplomacy, conflict
    "{country} and {country2} signed a peace agreement ending years of hostility.",
    "The two governments reached a breakthrough deal on trade after months of talks.",
    "The ceasefire has held for a month and displaced families are returning home.",
    "All the hostages were released unharmed on {day}.",
    "Talks in {city} ended with a landmark agreement to cut tariffs.",
    "The election passed peacefully and observers praised the high turnout.",
    "Parliament approved extra funding to rebuild schools and hospitals.",
    "The two leaders agreed to restore flights and reopen their embassies.",
    # sport
    "{team} won the championship for the first time in {years} years.",
    "{team} secured promotion with a convincing victory on {day}.",
    "The striker scored a hat-trick as {team} cruised to a comfortable win.",
    "{country} celebrated its best ever medal haul at the games.",
    # science, health, other
    "Researchers say the new vaccine cut infections by {pct}% in a large trial.",
    "The rocket launch was a success and the satellite reached its planned orbit.",
    "Scientists hailed the discovery as a major breakthrough in cancer treatment.",
    "Rescuers pulled all the trapped miners out alive.",
    "The new drug was approved after trials showed it greatly improved survival.",
    "Crime in {city} dropped sharply for the third year in a row.",
    "Tourist arrivals to {country} recovered strongly, helping hotels and restaurants.",
]

NEGATIVE = [
    # company results
    "{co} swung to a net loss of {cur} {num} million in the {period}.",
    "{co}'s sales fell {pct}% as demand for {product} weakened.",
    "{co} will cut {n} jobs as part of a cost-cutting programme.",
    "{co} issued a profit warning, blaming weak demand in {region}.",
    "Shares in {co} slumped {pct}% after the company lowered its outlook.",
    "Operating profit at {co} decreased to {cur} {num} million from {cur} {num2} million.",
    "{co} plans to close its factory in {city}, putting {n} jobs at risk.",
    "Ratings agencies downgraded {co}'s debt, citing mounting losses.",
    "{co} was fined {cur} {num} million for breaching competition rules.",
    "Net sales of {co} dropped by {pct}% to {cur} {num} million.",
    "{co} scrapped its dividend after a sharp fall in earnings.",
    "The company cut 2,000 jobs after sales collapsed.",
    "{co} filed for bankruptcy protection after talks with creditors failed.",
    "Orders for {product} declined sharply, and {co} expects a weaker {period}.",
    "{co}'s pre-tax loss widened to {cur} {num} million.",
    "{co} recalled thousands of vehicles over a dangerous brake fault.",
    "Margins were squeezed by soaring energy costs and weaker prices.",
    "{co} lost a major customer, which will hit revenue next year.",
    "Temporary lay-offs will affect {n} employees at the {city} mill.",
    "{co} warned that it may breach its loan covenants.",
    "The deal collapsed after regulators blocked the takeover.",
    # economy and markets
    "Unemployment in {country} rose to its highest level in {years} years.",
    "The economy of {country} contracted in the {period}, raising fears of a recession.",
    "Inflation surged to {pct}%, squeezing household budgets.",
    "Stocks tumbled and {index} suffered its worst day in months.",
    "Consumer confidence slumped to a record low in {month}.",
    "Exports from {country} plunged as global demand faltered.",
    "The currency crashed to an all-time low against the dollar.",
    "Factory output fell for the sixth month running.",
    "House prices fell sharply, leaving many owners in negative equity.",
    "Bond yields spiked as investors lost faith in the government's budget plans.",
    # politics, diplomacy, conflict
    "At least {n} people were killed in an air strike on {city}.",
    "Peace talks collapsed after both sides walked out.",
    "Protesters clashed with police, and dozens were injured.",
    "The government collapsed after losing a confidence vote.",
    "Fighting forced thousands of families to flee their homes.",
    "Relations between {country} and {country2} sank to their lowest point in decades.",
    "The minister resigned amid a corruption scandal.",
    "Sanctions have crippled the country's economy and caused severe shortages.",
    "The attack on the power grid left millions without electricity in winter.",
    # sport
    "{team} were relegated after a heavy defeat on {day}.",
    "{team} crashed out of the cup after a humiliating loss.",
    "The club's star player suffered a serious knee injury and will miss the season.",
    "The team was thrown out of the tournament over a doping scandal.",
    # science, health, disasters
    "The rocket exploded shortly after lift-off, destroying its payload.",
    "The earthquake destroyed hundreds of homes and killed dozens of people.",
    "The drug trial was halted after patients suffered serious side effects.",
    "Floods swept through {city}, causing damage estimated at {cur} {num} million.",
    "A data breach exposed the personal details of millions of customers.",
    "The outbreak spread quickly, overwhelming local hospitals.",
    "A fire at the plant killed two workers and halted production.",
]

NEUTRAL = [
    # company facts
    "{co} will publish its {period} results on {day} {month} {year}.",
    "{co} is headquartered in {city} and employs about {n} people.",
    "The company operates in {region} and makes {product}.",
    "{co} supplies {product} to customers in {region}.",
    "The transaction is subject to approval by the competition authorities.",
    "{co}'s annual general meeting will be held in {city} on {day}.",
    "The figures in this release are unaudited.",
    "{person} has been appointed {role} of {co}.",
    "{co}'s shares are listed on the {exchange}.",
    "The agreement was signed in {city} on {day}.",
    "{co} did not disclose the value of the contract.",
    "The company's financial year runs from {month} to {month}.",
    "{co} has operations in {years} countries.",
    "The purchase price will be paid in cash.",
    "{co} is a subsidiary of {co2}.",
    "The new unit will be based in {city}.",
    "{co} makes {product} and sells them mainly in {region}.",
    "The company will hold a conference call for analysts at 10 a.m.",
    "{person}, {role} of {co}, declined to comment.",
    "The report covers the period from {month} to {month} {year}.",
    "{co} employs {n} people in {country}.",
    "The board will propose the dividend to the annual meeting.",
    "The project is scheduled for completion in {year}.",
    "The offer period will run until {day}.",
    "{co} was founded in {city} in {year}.",
    "The figures are in euros unless otherwise stated.",
    "Details of the restructuring will be announced later.",
    "{co} said the deal would not affect its outlook for the year.",
    "{co}'s capital expenditure is expected to be around {cur} {num} million this year.",
    "The shares traded at {cur} {num2} on {day}.",
    "The company's name will change to {co} from the start of next year.",
    "The plant has an annual capacity of {num} thousand tonnes of {product}.",
    "{co} sells {product} under several brands.",
    "The company reports in {cur}.",
    "{co} and {co2} are in talks about a possible cooperation.",
    # economy and markets
    "{inst} will release inflation figures on {day}.",
    "The central bank kept interest rates unchanged, as expected.",
    "{index} closed little changed at {num} points.",
    "Trading volumes were in line with the monthly average.",
    "{inst} publishes its economic forecast twice a year.",
    "The data for {month} will be published next week.",
    "Economists polled by the agency had expected a similar figure.",
    "The budget will be presented to parliament on {day}.",
    "The dollar was steady against the euro in early trading.",
    "{inst} revised the previous month's figure slightly.",
    "Oil prices were broadly flat on {day}.",
    "The survey covered {n} companies across {region}.",
    # politics, diplomacy, conflict
    "The foreign minister of {country} will visit {country2} next week.",
    "Parliament will debate the bill on {day}.",
    "The two leaders met in {city} to discuss trade and security.",
    "The summit is scheduled to last two days.",
    "Delegations from {country} and {country2} held talks behind closed doors.",
    "The president travelled to {city} by train.",
    "The talks were held in a one-on-one format followed by a working lunch.",
    "Elections in {country} are due to take place in {month}.",
    "The agency reported the meeting, citing a government spokesperson.",
    "The ambassador presented his credentials on {day}.",
    "The two sides discussed the situation in the region.",
    "Officials said the next round of negotiations would take place in {city}.",
    "The ministry did not respond to a request for comment.",
    "The statement was published on the government's website.",
    "The delegation included the ministers of trade and transport.",
    "The prime minister spoke to reporters after the meeting.",
    "Both countries have embassies in each other's capitals.",
    "The agreement will be submitted to parliament for ratification.",
    "The army said it was investigating the incident.",
    "The visit marks {years} years since the two countries established diplomatic ties.",
    "Observers from {country} will monitor the vote.",
    # sport
    "{team} will play {team2} on {day}.",
    "The match kicks off at 8 p.m. local time.",
    "{team} named their squad for the new season.",
    "The tournament will be held in {city} in {month}.",
    "The coach said the team would travel to {city} on {day}.",
    # science and other
    "The study was published in a peer-reviewed journal on {day}.",
    "The satellite will be launched from a site in {country}.",
    "Researchers analysed data from {n} patients in {region}.",
    "The museum in {city} is open from 10 a.m. to 6 p.m.",
    "The weather service forecast light rain in {city} on {day}.",
    "The conference on {product} will take place in {city} in {month}.",
    "The new rules come into force on 1 {month}.",
    "The court will hear the case in {month}.",
    "The census is carried out every {years} years.",
    "The bridge connects {city} with the airport.",
]

HAND_NEUTRAL = [
    "The meeting began with an exchange of greetings.",
    "The documents were signed in the presence of journalists.",
    "He spoke in Russian, and his remarks were translated.",
    "The report is based on interviews with local officials.",
    "The company did not give a reason for the change.",
    "The statement did not mention any figures.",
    "Both sides declined to give details of the discussion.",
    "The event was broadcast live on national television.",
    "The spokesman said more information would follow.",
    "The company has three business areas.",
    "The group's production facilities are located in Finland and Sweden.",
    "The results will be presented at a press conference.",
    "Voting closes at 8 p.m.",
    "According to the agency, the talks lasted about two hours.",
    "The minister answered questions from lawmakers.",
    "The plan was first announced in the spring.",
    "He has held the post since 2019.",
    "She previously worked at a consulting firm.",
    "The vessel arrived at the port on Sunday morning.",
    "The map shows the planned route of the pipeline.",
]
HAND_POSITIVE = [
    "Business is booming, and the order books are full for the next two years.",
    "It was the best year in the company's history.",
    "Demand remained robust across all our markets.",
    "The recovery is gathering pace.",
    "The rescue deal saved thousands of jobs.",
    "Sales exceeded our expectations.",
    "Customer satisfaction reached a new high.",
    "The aid convoy finally reached the besieged town, bringing food and medicine.",
]
HAND_NEGATIVE = [
    "The outlook for the rest of the year remains bleak.",
    "It was the worst year in the company's history.",
    "Demand weakened across all our markets.",
    "The recession is deepening.",
    "The closure will devastate the local community.",
    "Sales were well below our expectations.",
    "Customers complained about long delays and poor service.",
    "The siege has left the town without food or medicine.",
]


def make_sentiment(r: random.Random) -> list[dict]:
    rows: list[dict] = []
    seen: set[str] = set()

    def add(text: str, label: str) -> None:
        if text not in seen:
            seen.add(text)
            rows.append({"text": text, "label": label})

    # neutral is the largest class, as in news; each template gets a few different fillings
    for templates, label, per in ((POSITIVE, "positive", 7), (NEGATIVE, "negative", 7),
                                  (NEUTRAL, "neutral", 8)):
        for t in templates:
            tries = 0
            made = 0
            while made < per and tries < per * 5:
                tries += 1
                text = _fill(t, r)
                if text not in seen:
                    add(text, label)
                    made += 1
    for texts, label in ((HAND_NEUTRAL, "neutral"), (HAND_POSITIVE, "positive"),
                         (HAND_NEGATIVE, "negative")):
        for t in texts:
            add(t, label)
    r.shuffle(rows)
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    sentiment = make_sentiment(random.Random(SEED))
    write_jsonl(HERE / "sentiment_train.jsonl", sentiment)
    from collections import Counter

    print("sentiment", len(sentiment), dict(Counter(r["label"] for r in sentiment)))


if __name__ == "__main__":
    main()
