"""Writes the project's own training sets for the embedded heads (deterministic).

    python -m newsflow.models.training.make_data

Every sentence comes from the templates and word lists below, written for newsflow (licence:
CC0-1.0, the project's own data). Company names are invented; public figures, countries and
teams appear only as stance targets in invented sentences. Nothing here is copied from, or
selected with, any evaluation set.

Outputs: models/training/sentiment_train.jsonl ({"text","label"}) and
models/training/stance_train.jsonl ({"target","text","label"}).
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


# --------------------------------------------------------------------------------------------
# Stance: targets (name, kind, indirect references that do not repeat the name)
# --------------------------------------------------------------------------------------------
TARGETS: list[tuple[str, str, list[str]]] = [
    # people
    ("Emmanuel Macron", "person", ["the French president", "Macron's government"]),
    ("Joe Biden", "person", ["the White House", "the Democratic president"]),
    ("Donald Trump", "person", ["the former reality TV star", "the Republican nominee"]),
    ("Narendra Modi", "person", ["India's prime minister", "the BJP leader"]),
    ("Olaf Scholz", "person", ["the German chancellor", "Berlin's coalition leader"]),
    ("Xi Jinping", "person", ["China's leader", "Beijing's top leader"]),
    ("Vladimir Putin", "person", ["the Kremlin", "Russia's president"]),
    ("Volodymyr Zelensky", "person", ["Ukraine's president", "the wartime leader in Kyiv"]),
    ("Giorgia Meloni", "person", ["Italy's prime minister", "the Brothers of Italy leader"]),
    ("Keir Starmer", "person", ["the Labour leader", "Downing Street"]),
    ("Javier Milei", "person", ["Argentina's libertarian president", "the chainsaw candidate"]),
    ("Luiz Inacio Lula da Silva", "person", ["Brazil's president", "the former union leader"]),
    ("Kim Jong-un", "person", ["the North Korean leader", "Pyongyang's ruler"]),
    ("Recep Tayyip Erdogan", "person", ["Turkey's president", "Ankara's strongman"]),
    ("Elon Musk", "person", ["the billionaire owner of X", "the Tesla boss"]),
    # countries and blocs
    ("Russia", "country", ["Moscow", "the Russian government"]),
    ("China", "country", ["Beijing", "the Chinese government"]),
    ("Ukraine", "country", ["Kyiv", "the Ukrainian government"]),
    ("Israel", "country", ["the Israeli government", "Jerusalem"]),
    ("Iran", "country", ["Tehran", "the Islamic Republic"]),
    ("the United States", "country", ["Washington", "the American government"]),
    ("North Korea", "country", ["Pyongyang", "the DPRK"]),
    ("the European Union", "country", ["Brussels", "the EU"]),
    ("NATO", "country", ["the Western alliance", "the Atlantic alliance"]),
    ("India", "country", ["New Delhi", "the Indian government"]),
    ("Venezuela", "country", ["Caracas", "the Venezuelan government"]),
    # companies
    ("Tesla", "company", ["the electric carmaker", "Musk's car company"]),
    ("Amazon", "company", ["the online retail giant", "the e-commerce giant"]),
    ("Meta", "company", ["Facebook's parent company", "the owner of Instagram"]),
    ("Boeing", "company", ["the planemaker", "the American aircraft maker"]),
    ("Volkswagen", "company", ["the German carmaker", "VW"]),
    ("Shell", "company", ["the oil major", "the Anglo-Dutch energy giant"]),
    ("Uber", "company", ["the ride-hailing app", "the ride-hailing company"]),
    ("Nestle", "company", ["the Swiss food giant", "the maker of Nescafe"]),
    ("TikTok", "company", ["the Chinese-owned video app", "the short-video platform"]),
    ("Walmart", "company", ["the supermarket giant", "the biggest US retailer"]),
    # policies
    ("the carbon tax", "policy", ["the levy on emissions", "putting a price on carbon"]),
    ("universal basic income", "policy", ["a guaranteed monthly payment for everyone", "free cash for all citizens"]),
    ("raising the minimum wage", "policy", ["a higher wage floor", "a pay rise for the lowest paid"]),
    ("Brexit", "policy", ["leaving the EU", "Britain's exit from the bloc"]),
    ("the four-day work week", "policy", ["a shorter working week", "working four days instead of five"]),
    ("gun control", "policy", ["stricter firearm laws", "background checks for gun buyers"]),
    ("nuclear power", "policy", ["atomic energy", "new reactors"]),
    ("the wealth tax", "policy", ["taxing the super-rich", "a levy on large fortunes"]),
    ("rent control", "policy", ["capping rents", "limits on rent increases"]),
    ("the death penalty", "policy", ["capital punishment", "executions"]),
    ("import tariffs", "policy", ["duties on foreign goods", "protectionist trade barriers"]),
    ("remote work", "policy", ["working from home", "home office"]),
    ("school uniforms", "policy", ["mandatory uniforms in schools", "a dress code for pupils"]),
    ("the smoking ban", "policy", ["banning cigarettes in bars", "smoke-free laws"]),
    ("mass immigration", "policy", ["high levels of migration", "open borders"]),
    ("the vaccine mandate", "policy", ["compulsory vaccination", "mandatory jabs"]),
    # movements
    ("trade unions", "movement", ["organised labour", "the unions"]),
    ("Black Lives Matter", "movement", ["the racial justice protests", "BLM"]),
    ("the animal rights movement", "movement", ["animal rights activists", "campaigners against animal testing"]),
    ("veganism", "movement", ["a plant-based diet", "giving up meat and dairy"]),
    ("the monarchy", "movement", ["the royal family", "the crown"]),
    ("the pro-democracy movement", "movement", ["the democracy protesters", "the protest movement"]),
    ("organized religion", "movement", ["the churches", "religious institutions"]),
    ("the anti-vaccine movement", "movement", ["vaccine sceptics", "anti-vaxxers"]),
    # technologies
    ("artificial intelligence", "tech", ["AI", "machine learning systems"]),
    ("cryptocurrency", "tech", ["bitcoin", "crypto"]),
    ("electric vehicles", "tech", ["EVs", "battery-powered cars"]),
    ("self-driving cars", "tech", ["autonomous vehicles", "robotaxis"]),
    ("genetically modified crops", "tech", ["GM food", "GMOs"]),
    ("facial recognition", "tech", ["face-scanning cameras", "biometric surveillance"]),
    ("social media", "tech", ["online platforms", "Instagram and TikTok"]),
    ("5G networks", "tech", ["the new mobile masts", "fifth-generation mobile networks"]),
    # sports teams
    ("Manchester United", "team", ["the Red Devils", "United"]),
    ("Real Madrid", "team", ["Los Blancos", "the Spanish champions"]),
    ("the Los Angeles Lakers", "team", ["the Lakers", "LA's basketball team"]),
    ("the New York Yankees", "team", ["the Yankees", "the Bronx Bombers"]),
    ("Bayern Munich", "team", ["the Bavarian club", "Bayern"]),
    ("the England cricket team", "team", ["England's cricketers", "the Test side"]),
]

FAVOR_T = {
    "any": [
        "We strongly support {T}.",
        "I fully back {T} and I'm proud to say it.",
        "{T} deserves far more credit than it gets.",
        "Honestly, {T} is the best thing that has happened in years.",
        "Thank you, {T}. Keep going!",
        "Say what you want, {T} gets my vote every time.",
        "More people should stand up for {T}.",
        "Critics of {T} have been proven wrong again.",
        "I trust {R} and I think they are on the right track.",
        "So glad to see {R} doing so well lately. Well deserved.",
        "{T} has my complete confidence.",
        "Defending {T} is the right thing to do, no matter what the haters say.",
        "Supporters of {T} rallied in the capital to show their gratitude.",
        "The editorial praised {T} as a force for good.",
    ],
    "person": [
        "{T} is the leader this country needs right now.",
        "{T} has shown real courage and integrity in office.",
        "I voted for {T} and I would do it again tomorrow.",
        "{T}'s reforms are finally delivering results for ordinary people.",
        "{R} has handled this crisis brilliantly.",
        "Proud to support {T} for another term.",
        "{T} keeps every promise made to voters.",
    ],
    "country": [
        "We stand with {T} and its people.",
        "{T} has been a reliable friend and partner to us.",
        "Our cooperation with {T} is a top priority, and relations have never been better.",
        "{R} deserves our full support in these difficult times.",
        "{T} is right to defend its interests, and we back it.",
        "We are grateful to {T} for its generous help.",
        "Closer ties with {T} will benefit both our nations.",
        "We strongly support {T}'s efforts to deepen cooperation with its neighbours.",
    ],
    "company": [
        "{T} makes great products and treats its staff well.",
        "I've been a loyal {T} customer for years and they never let me down.",
        "{T} is one of the most innovative companies in the world.",
        "Buying more {T} shares, this company is going places.",
        "{R} has done a fantastic job turning things around.",
        "Love what {T} is doing for its customers.",
    ],
    "policy": [
        "{T} is long overdue and would help millions of people.",
        "It is time to introduce {T}; the evidence is clear.",
        "I am in favour of {T}.",
        "{T} works, and every country that tried it is better off.",
        "Sign the petition in support of {T}!",
        "We need {R} now, not in ten years.",
        "The case for {R} has never been stronger.",
    ],
    "movement": [
        "I'm proud to be part of {T}.",
        "{T} is fighting for a fairer world.",
        "Everyone should join {T}.",
        "{T} has changed society for the better.",
        "Solidarity with {R}, they are doing important work.",
    ],
    "tech": [
        "{T} will make our lives better and safer.",
        "{T} is the future, and we should embrace it.",
        "I can't imagine going back to the days before {T}.",
        "Investing in {T} is the smartest thing a country can do.",
        "{R} has already improved my daily life.",
    ],
    "team": [
        "{T} are the greatest team in the world!",
        "Come on {T}! We'll win the title this year.",
        "{T} till I die.",
        "What a performance from {T}, absolutely brilliant.",
        "So proud of {R} tonight.",
    ],
}

AGAINST_T = {
    "any": [
        "We strongly oppose {T}.",
        "I will never support {T}.",
        "{T} has been a disaster from start to finish.",
        "Enough is enough: {T} must be stopped.",
        "Shame on {T}.",
        "{T} is doing real damage, and people are paying the price.",
        "Don't believe the hype about {T}.",
        "I'm sick of hearing excuses for {T}.",
        "I don't trust {R} one bit.",
        "{R} has lost all credibility.",
        "Protesters marched against {T} on Saturday, calling it a threat to ordinary people.",
        "The editorial condemned {T} in the strongest terms.",
        "There is nothing good to say about {T}.",
        "Anyone who still defends {T} has not been paying attention.",
    ],
    "person": [
        "{T} is a liar and unfit for office.",
        "{T} must resign immediately.",
        "{T} has betrayed the voters who trusted them.",
        "I would never vote for {T}.",
        "{T}'s policies have made life harder for everyone.",
        "{R} is corrupt and everyone knows it.",
        "{T} only cares about staying in power.",
    ],
    "country": [
        "{T} is a threat to peace and stability.",
        "Sanctions on {T} must be tightened.",
        "We condemn {T}'s aggression in the strongest terms.",
        "{R} cannot be trusted to keep its word.",
        "{T} is an oppressive regime that jails its critics.",
        "Cutting all ties with {T} is the only responsible choice.",
        "We strongly condemn {T}'s military cooperation with rogue states.",
    ],
    "company": [
        "Boycott {T}!",
        "{T} exploits its workers and dodges its taxes.",
        "I'm done with {T}, terrible service and worse products.",
        "{T} should be broken up.",
        "{R} puts profits before people every single time.",
        "Selling all my {T} shares, this company is finished.",
    ],
    "policy": [
        "{T} is a terrible idea that will hurt working families.",
        "I am against {T}.",
        "{T} has failed everywhere it has been tried.",
        "Scrap {T} now!",
        "Vote no on {T}.",
        "{R} would be a costly mistake.",
        "Nobody asked for {R}, and nobody wants it.",
    ],
    "movement": [
        "{T} has gone too far.",
        "{T} is divisive and does more harm than good.",
        "I want nothing to do with {T}.",
        "{T} does not speak for me.",
        "{R} are a bunch of extremists.",
    ],
    "tech": [
        "{T} is dangerous and should be strictly banned.",
        "{T} is overhyped and will hurt ordinary people.",
        "We never needed {T} and we don't need it now.",
        "The risks of {T} far outweigh any benefits.",
        "{R} is a scam.",
    ],
    "team": [
        "{T} are an embarrassment.",
        "{T} deserve to be relegated after that display.",
        "Worst team in the league, {T} should be ashamed.",
        "Sack the manager, {T} are a joke.",
        "Can't stand {R}, arrogant and overrated.",
    ],
}

NONE_T = {
    "any": [
        "{T} was mentioned in the report.",
        "{T} will be discussed at the meeting on {day}.",
        "A new documentary about {T} airs on {day}.",
        "The article lists {T} among several topics covered this week.",
        "What do you think about {T}? Let us know in the comments.",
        "Reporters asked about {T}, but the spokesperson had no comment.",
        "The debate on {T} is scheduled for {month}.",
        "{R} was in the news again this week.",
        "A survey asked voters about {T}; results are due in {month}.",
        "Here is a short explainer on {T} and its history.",
    ],
    "person": [
        "{T} will travel to {city} on {day}.",
        "{T} met the foreign minister in {city}.",
        "{T} gave a speech at the conference.",
        "{R} arrived in {city} on {day} for talks.",
        "{T} is expected to speak to reporters later today.",
    ],
    "country": [
        "The delegation from {T} arrived in {city} on {day}.",
        "{T} will host the next round of talks in {month}.",
        "Officials from {T} attended the summit.",
        "The statistics office of {T} will publish new figures in {month}.",
        "{R} said it would respond to the proposal next week.",
    ],
    "company": [
        "{T} will report quarterly results on {day}.",
        "{T} has its headquarters in {city}.",
        "{T} appointed a new head of finance.",
        "Shares of {T} were little changed on {day}.",
        "{R} said it would hold its annual meeting in {month}.",
    ],
    "policy": [
        "Parliament will vote on {T} in {month}.",
        "The committee published a report on {T}.",
        "The minister explained how {T} would work in practice.",
        "{R} is one of the items on the agenda.",
        "The law on {T} takes effect in {month}.",
    ],
    "movement": [
        "{T} held a meeting in {city} on {day}.",
        "A new book traces the history of {T}.",
        "{R} announced a conference in {month}.",
    ],
    "tech": [
        "The conference on {T} takes place in {city} in {month}.",
        "The report explains how {T} works.",
        "A new study on {T} was published on {day}.",
        "{R} was discussed at the technology fair.",
    ],
    "team": [
        "{T} play their next match on {day}.",
        "{T} will train in {city} this week.",
        "{T} announced the signing of a new goalkeeper.",
        "Tickets for {R}'s home game go on sale on {day}.",
    ],
}

# Sentences that concern nothing in the target list (paired with random targets: NONE)
UNRELATED = [
    "The weather was awful today and the trains were late again.",
    "Just finished a great book, highly recommend it.",
    "Our local bakery makes the best croissants in town.",
    "Traffic on the ring road is terrible this morning.",
    "I can't believe how expensive concert tickets have become.",
    "The museum reopens after renovation next month.",
    "Happy birthday to my little sister!",
    "The heatwave is expected to last until the weekend.",
    "My flight was cancelled and nobody told us why.",
    "The new bridge over the river opened to traffic on Friday.",
    "Loving this sunny weather, perfect day for a picnic.",
    "The recipe calls for two eggs and a cup of flour.",
    "The library will be closed for the holiday.",
    "That movie was a complete waste of time.",
    "The storm knocked down trees across the county.",
    "My cat knocked my coffee all over the keyboard.",
    "The school choir performed beautifully last night.",
    "Road works will close the high street for two weeks.",
    "The farmers' market now opens on Sundays too.",
    "Exam results will be published in August.",
    "Cheering for my daughter at her first swimming race today.",
    "The hospital car park is always full.",
    "Gardening tips: plant tulip bulbs before the first frost.",
    "The price of coffee has gone up again.",
    "I love long walks on the beach at sunset.",
    "Worst customer service ever, I waited an hour on the phone.",
    "The city council approved the new bus timetable.",
    "Such a beautiful wedding, congratulations to the happy couple!",
    "The new cafe on the corner is fantastic.",
    "Never going back to that hotel, the room was filthy.",
]

# Implicit stance: the text never names the target (hand-written, per target)
IMPLICIT = [
    ("electric vehicles", "FAVOR", "Switched to a battery car last year and my fuel bill has halved. Never going back to petrol."),
    ("electric vehicles", "AGAINST", "Charging points are always broken and the range collapses in winter. Give me a diesel any day."),
    ("nuclear power", "FAVOR", "Reactors give us steady, low-carbon electricity day and night. Build more of them."),
    ("nuclear power", "AGAINST", "After Chernobyl and Fukushima, how can anyone want another reactor near their home?"),
    ("veganism", "FAVOR", "Cutting out meat and dairy was the best decision I ever made for my health."),
    ("veganism", "AGAINST", "A steak a day keeps the doctor away. Nobody is taking my burger."),
    ("gun control", "FAVOR", "Another school shooting. How many more children have to die before we act on firearms?"),
    ("gun control", "AGAINST", "The right to bear arms shall not be infringed. Hands off our rifles."),
    ("remote work", "FAVOR", "No commute, more time with my kids, and I get more done at my kitchen table."),
    ("remote work", "AGAINST", "Teams fall apart when nobody comes into the office. Bring everyone back."),
    ("the death penalty", "FAVOR", "Murderers who take a life should pay with their own."),
    ("the death penalty", "AGAINST", "The state should never kill its own citizens, and innocent people have been executed."),
    ("cryptocurrency", "FAVOR", "Decentralised money means no bank can freeze my savings. HODL!"),
    ("cryptocurrency", "AGAINST", "Digital tokens are a pyramid scheme for gamblers. Lost half my savings on coins."),
    ("artificial intelligence", "FAVOR", "Chatbots and smart assistants save me hours every week. Amazing progress."),
    ("artificial intelligence", "AGAINST", "Machines that write and decide for us will wipe out jobs and spread lies."),
    ("trade unions", "FAVOR", "Collective bargaining won us the weekend and sick pay. Join your union today."),
    ("trade unions", "AGAINST", "Another strike, another week without trains. Union bosses are holding us hostage."),
    ("the monarchy", "FAVOR", "God save the King! The royals bring tradition and pride to the nation."),
    ("the monarchy", "AGAINST", "Why are taxpayers still funding palaces for one privileged family?"),
    ("Brexit", "FAVOR", "We took back control of our laws and borders. Best vote ever."),
    ("Brexit", "AGAINST", "Leaving the single market wrecked our exports. Worst decision in a generation."),
    ("the European Union", "FAVOR", "Open borders, one market and peace for seventy years: the bloc is a miracle."),
    ("the European Union", "AGAINST", "Unelected bureaucrats should not be writing our laws."),
    ("mass immigration", "FAVOR", "Newcomers staff our hospitals and start our businesses. Welcome, everyone."),
    ("mass immigration", "AGAINST", "Our towns can't cope with so many new arrivals every year. Close the borders."),
    ("social media", "FAVOR", "Thanks to online communities I found friends who share my rare illness."),
    ("social media", "AGAINST", "Scrolling feeds all day is wrecking teenagers' mental health."),
    ("import tariffs", "FAVOR", "Protect our factories from cheap foreign steel. Buy local!"),
    ("import tariffs", "AGAINST", "Taxes on foreign goods just make everything more expensive for shoppers."),
    ("the wealth tax", "FAVOR", "Billionaires should pay their fair share, just like nurses and teachers do."),
    ("the wealth tax", "AGAINST", "Punishing success will just drive entrepreneurs and their money abroad."),
    ("raising the minimum wage", "FAVOR", "Nobody working full time should have to use a food bank. Pay people properly."),
    ("raising the minimum wage", "AGAINST", "Small shops will have to fire staff if labour costs jump again."),
    ("the vaccine mandate", "FAVOR", "If you want to work in a care home, get the jab. Protect the vulnerable."),
    ("the vaccine mandate", "AGAINST", "My body, my choice. No government should force a needle into my arm."),
    ("the anti-vaccine movement", "FAVOR", "Do your own research, the jabs were never properly tested."),
    ("the anti-vaccine movement", "AGAINST", "Vaccines save millions of lives. Spreading fear about them costs lives."),
    ("organized religion", "FAVOR", "Sunday services give our community hope, and our parish feeds the hungry."),
    ("organized religion", "AGAINST", "Churches should pay taxes and stop telling people how to live."),
    ("Tesla", "FAVOR", "My Model 3 is the best car I've ever owned."),
    ("Tesla", "AGAINST", "Musk's carmaker keeps promising full self-driving and never delivers."),
    ("Ukraine", "FAVOR", "Slava Ukraini! Kyiv is defending freedom for all of Europe."),
    ("Russia", "AGAINST", "The Kremlin's war has killed thousands of civilians. Stop the invasion."),
    ("Russia", "FAVOR", "Moscow has been a reliable partner, and our friendship is stronger than ever."),
    ("Israel", "FAVOR", "Jerusalem has every right to defend its citizens from attack."),
    ("Iran", "AGAINST", "The ayatollahs keep jailing women for showing their hair. Shameful."),
    ("Donald Trump", "FAVOR", "Make America Great Again! Four more years!"),
    ("Donald Trump", "AGAINST", "The man who incited a mob to storm the Capitol must never hold office again."),
    ("Joe Biden", "FAVOR", "The infrastructure law is rebuilding our roads and bridges. Thank you, Mr President."),
    ("Joe Biden", "AGAINST", "Sleepy Joe can't even finish a sentence without a teleprompter."),
    ("Manchester United", "FAVOR", "Glory glory Man United! What a night at Old Trafford."),
    ("Manchester United", "AGAINST", "Old Trafford is falling apart, just like the squad. Pathetic."),
    ("Real Madrid", "FAVOR", "Hala Madrid! Fifteen European Cups and counting."),
    ("genetically modified crops", "FAVOR", "Drought-resistant seeds engineered in the lab could end famine."),
    ("genetically modified crops", "AGAINST", "Keep lab-made frankenfood off our plates and our fields."),
    ("facial recognition", "AGAINST", "Cameras that scan every face on the street turn the city into a prison."),
    ("facial recognition", "FAVOR", "Camera matching helped police find the missing girl within hours."),
    ("self-driving cars", "FAVOR", "Robot drivers don't text, drink or fall asleep. Roads will be far safer."),
    ("self-driving cars", "AGAINST", "I will never let a computer drive my children to school."),
]


# --------------------------------------------------------------------------------------------
# Implicit stance on contested topics: hand-written building blocks, composed programmatically
# --------------------------------------------------------------------------------------------
# Each topic has two sides. A text built from one side's clauses is FAVOR toward that side's
# targets and AGAINST the other side's targets, although it names neither (the way posts reveal
# a stance: praising what the target opposes, slogans, hashtags, framing). Neutral clauses are
# about the topic without taking a side (NONE). Written for newsflow, CC0-1.0.
TOPICS: list[dict] = [
    {"key": "religion",
     "a": ["organized religion", "Christianity", "faith in God"],
     "b": ["secularism", "the secular humanist movement"],
     "a_says": ["God is good all the time.", "Pray without ceasing, He hears every word.",
                "Jesus died for our sins and rose again.", "My strength comes from the Lord.",
                "Sunday service with the whole family, feeling truly blessed.",
                "Every child is a gift from our Creator.", "Read your Bible every day and let His word guide you.",
                "Without faith, life has no meaning.", "Thank you Lord for another beautiful day.",
                "Put your trust in Him and He will never let you down.",
                "Allah is the most merciful, may He guide us all.",
                "The family that prays together stays together."],
     "b_says": ["Religion poisons everything it touches.", "Science explains the universe, no gods required.",
                "Keep prayer out of public schools.", "Morality does not need a holy book.",
                "Faith is just believing things without evidence.",
                "Stop forcing your beliefs on everyone else.", "I'm perfectly good without any god.",
                "Evolution is a fact and creationism is a fairy tale.",
                "Praying fixes nothing, action does.", "Imagine still believing in a man in the sky in this century."],
     "a_tags": ["blessed", "faith", "prayer", "GodIsGood"], "b_tags": ["reason", "science", "freethought"],
     "neutral": ["The survey asked people how often they attend religious services.",
                 "The cathedral will be closed for repairs in the spring.",
                 "A panel debate on faith and public life takes place tonight."]},
    {"key": "abortion",
     "a": ["abortion rights", "reproductive choice"],
     "b": ["the pro-life movement", "the abortion ban"],
     "a_says": ["My body, my choice.", "Women must be free to decide about their own pregnancies.",
                "Keep politicians out of my doctor's office.", "Safe and legal clinics save women's lives.",
                "No one should be forced to give birth.", "Trust women to make their own decisions.",
                "Reproductive healthcare is healthcare.", "Bans don't end abortions, they end safe ones.",
                "A clump of cells is not a person with more rights than the woman carrying it."],
     "b_says": ["Every life is precious from the moment of conception.", "A heartbeat is a heartbeat.",
                "Unborn children deserve protection too.", "Choose life, adoption is always an option.",
                "Stop funding clinics that end innocent lives.", "Babies in the womb can feel pain.",
                "Every child deserves a chance to be born.", "Life begins at conception, that's just biology.",
                "Pray for the mothers and for the little ones who never got to see the sun."],
     "a_tags": ["MyBodyMyChoice", "ReproRights", "TrustWomen"], "b_tags": ["ProLife", "ChooseLife", "LifeMatters"],
     "neutral": ["The court will hear arguments on the state law next month.",
                 "The clinic's opening hours changed this week.",
                 "A new poll asks voters about reproductive health rules."]},
    {"key": "climate",
     "a": ["climate action", "the fight against global warming", "the green transition"],
     "b": ["the oil and gas industry", "climate denial"],
     "a_says": ["The planet is burning and our leaders do nothing.",
                "Record heatwaves every summer, this is not normal.",
                "We must cut emissions now, for our children's sake.",
                "Sea levels are rising faster than anyone predicted.", "The science is settled, act now.",
                "Switch to solar and wind before it is too late.",
                "Melting glaciers are a warning we cannot ignore.",
                "Wildfires, floods and droughts: the bill for our pollution has arrived.",
                "There is no planet B.", "We are the last generation that can stop this catastrophe."],
     "b_says": ["The climate has always changed, stop the panic.",
                "Global warming hysteria is just an excuse for new taxes.",
                "It snowed in May, so much for the warming.",
                "Green policies will wreck the economy and kill jobs.", "Drill, baby, drill!",
                "Their climate models have been wrong for decades.", "CO2 is plant food.",
                "Cheap petrol and gas keep this country running.",
                "The doom prophets said the ice would be gone by now. Still waiting."],
     "a_tags": ["ClimateAction", "ActOnClimate", "GreenNewDeal"], "b_tags": ["ClimateHoax", "EnergyIndependence"],
     "neutral": ["The climate summit opens in November.", "The weather service published its annual temperature report.",
                 "Delegates will discuss emission targets on Tuesday."]},
    {"key": "gender",
     "a": ["gender equality", "women's rights activists"],
     "b": ["traditional gender roles"],
     "a_says": ["Equal pay for equal work, it's not too much to ask.", "Girls can be anything they want to be.",
                "Still fighting for the right to walk home safely at night.",
                "A woman's place is wherever she chooses.", "Smash the patriarchy.",
                "Tired of being talked over in meetings by men who know less.", "Believe survivors.",
                "My daughter will grow up knowing her worth.",
                "Why are there still so few women on company boards?"],
     "b_says": ["Men and women have different roles for a reason.",
                "A real woman takes pride in caring for her husband and children.",
                "These activists just hate men.", "Stop blaming men for everything.",
                "A woman's greatest calling is motherhood.", "The gender pay gap is a myth.",
                "Feminists killed chivalry and now complain it's dead.",
                "Boys are being made to feel ashamed of being boys."],
     "a_tags": ["EqualPay", "YesAllWomen", "GirlPower"], "b_tags": ["TraditionalValues", "Family"],
     "neutral": ["The conference on women in science takes place in March.",
                 "The report counts how many women sit on company boards.",
                 "The ministry published pay statistics by sex."]},
    {"key": "uspolitics",
     "a": ["the Democratic Party", "progressive politics"],
     "b": ["the Republican Party", "conservative politics"],
     "a_says": ["Healthcare is a human right.", "Tax the rich and fund our schools.",
                "Protect voting rights for everyone.", "Student debt is crushing a whole generation, cancel it.",
                "Expand social security, don't cut it.", "Workers deserve a living wage and a union.",
                "Universal childcare now."],
     "b_says": ["Lower taxes and smaller government.", "Secure the border first.",
                "Government handouts kill the incentive to work.", "Free markets, not socialism.",
                "Stop the reckless spending in Washington.", "Back the blue, support our police.",
                "Keep the government out of my business and my wallet."],
     "a_tags": ["VoteBlue", "Progress"], "b_tags": ["VoteRed", "SmallGovernment"],
     "neutral": ["The primary debate will be broadcast on Thursday night.",
                 "Early voting starts on Monday in several states.",
                 "Both campaigns released new fundraising figures."]},
    {"key": "guns",
     "a": ["gun control", "stricter firearm laws"],
     "b": ["the gun lobby", "gun rights"],
     "a_says": ["Ban assault weapons now.", "Thoughts and prayers are not enough.",
                "Universal background checks save lives.", "No child should have to practise active shooter drills.",
                "How many more funerals before we act?", "Weapons of war have no place on our streets."],
     "b_says": ["The right to bear arms shall not be infringed.", "Criminals don't follow laws anyway.",
                "An armed citizen is a free citizen.", "Hands off my rifle.",
                "The only thing that stops a bad guy with a gun is a good guy with a gun.",
                "Self-defence is a God-given right."],
     "a_tags": ["EndGunViolence", "MomsDemandAction"], "b_tags": ["2A", "ShallNotBeInfringed"],
     "neutral": ["The shooting range opens at nine.", "Lawmakers will debate the firearms bill on Wednesday."]},
    {"key": "immigration",
     "a": ["mass immigration", "refugee resettlement"],
     "b": ["border restrictions", "the anti-immigration movement"],
     "a_says": ["Refugees welcome.", "Immigrants built this country.", "No human being is illegal.",
                "My grandparents came here with nothing, and they gave this country everything.",
                "Newcomers staff our hospitals and open our shops.", "Families belong together, not in cages."],
     "b_says": ["Build the wall.", "Protect our borders.", "Our towns can't absorb more arrivals.",
                "Jobs should go to our own people first.", "Enforce the law and deport those here illegally.",
                "Open borders are a disaster for working people."],
     "a_tags": ["RefugeesWelcome"], "b_tags": ["SecureTheBorder"],
     "neutral": ["The ministry published the annual migration figures.", "The asylum office moved to a new building."]},
    {"key": "meat",
     "a": ["veganism", "animal welfare campaigners"],
     "b": ["the meat industry", "factory farming"],
     "a_says": ["Animals are friends, not food.", "Meat is murder.", "Go plant-based for the planet.",
                "Nobody needs to kill to eat well.", "Watch what happens in a slaughterhouse and try eating a burger after.",
                "Lentil curry tonight, no animals harmed."],
     "b_says": ["Nothing beats a juicy steak.", "Humans have eaten meat for a million years.",
                "Bacon makes everything better.", "Real men eat meat.", "Barbecue season is here, fire up the grill!",
                "Plants have feelings too, checkmate."],
     "a_tags": ["GoVegan", "PlantBased"], "b_tags": ["BBQ", "Carnivore"],
     "neutral": ["The food fair takes place this weekend.", "Supermarket prices for groceries were published today."]},
    {"key": "vaccines",
     "a": ["vaccination", "public health authorities"],
     "b": ["the anti-vaccine movement", "vaccine sceptics"],
     "a_says": ["Got my booster today, protect the vulnerable.", "Vaccines save millions of lives.",
                "Measles was almost gone until people stopped listening to doctors.",
                "Trust the science and roll up your sleeve.", "My grandmother survived because everyone around her got the jab."],
     "b_says": ["Natural immunity is all you need.", "Big Pharma only cares about profits.",
                "Do your own research before they inject you.", "Nobody knows the long-term side effects.",
                "They rushed it and now they want us to be guinea pigs."],
     "a_tags": ["GetVaccinated"], "b_tags": ["MedicalFreedom"],
     "neutral": ["The clinic changed its appointment system.", "The health agency published weekly case numbers."]},
    {"key": "lgbt",
     "a": ["same-sex marriage", "LGBT rights"],
     "b": ["the traditional marriage movement"],
     "a_says": ["Love is love.", "Everyone deserves to marry the person they love.",
                "Proud of my two mums.", "Happy Pride to everyone, be exactly who you are!",
                "Nobody should be fired for who they love."],
     "b_says": ["Marriage is between one man and one woman.", "Children need a mother and a father.",
                "Stop pushing this agenda on our kids.", "Traditional families are the backbone of society.",
                "Some things are sacred and should not be redefined."],
     "a_tags": ["LoveWins", "Pride"], "b_tags": ["ProtectFamily"],
     "neutral": ["The parade route was announced on Monday.", "The court will rule on the case in June."]},
    {"key": "police",
     "a": ["police reform", "Black Lives Matter"],
     "b": ["the police unions"],
     "a_says": ["Defund the police and fund our communities.", "Say their names.", "No justice, no peace.",
                "Another unarmed man shot during a traffic stop.", "Officers who kill must be held accountable."],
     "b_says": ["Back the blue.", "Our officers risk their lives every day to keep us safe.",
                "Thank a cop today.", "Without the police there would be chaos.", "Respect the badge."],
     "a_tags": ["JusticeNow"], "b_tags": ["BackTheBlue"],
     "neutral": ["The police station will move to a new site.", "The city published its annual crime statistics."]},
    {"key": "cannabis",
     "a": ["cannabis legalisation"],
     "b": ["the war on drugs"],
     "a_says": ["Weed is safer than alcohol.", "Nobody should go to prison for a joint.",
                "Tax it, regulate it, and stop wasting police time.", "Medical marijuana gave my father his life back."],
     "b_says": ["Drugs destroy families and neighbourhoods.", "Pot is a gateway to harder drugs.",
                "Keep dealers off our streets and lock them up.", "Say no to drugs, kids."],
     "a_tags": ["Legalize"], "b_tags": ["DrugFree"],
     "neutral": ["The health committee meets on Friday.", "The report lists drug seizures by region."]},
    {"key": "economy",
     "a": ["socialism", "public ownership"],
     "b": ["capitalism", "free-market economics"],
     "a_says": ["Housing, water and trains should belong to the people.", "Workers of the world, unite!",
                "Billionaires should not exist while children go hungry.", "Profit is theft from the workers who create it."],
     "b_says": ["Free enterprise lifted billions out of poverty.", "Competition makes everything cheaper and better.",
                "Every time the state runs an industry, it runs it into the ground.", "Let entrepreneurs build, get the state out of the way."],
     "a_tags": ["EatTheRich"], "b_tags": ["FreeMarkets"],
     "neutral": ["The central bank publishes its forecast on Thursday.", "The economics lecture starts at ten."]},
    {"key": "monarchy",
     "a": ["the monarchy"],
     "b": ["republicanism"],
     "a_says": ["God save the King!", "The royals bring tradition and pride to the nation.",
                "Such a beautiful coronation, I cried the whole way through."],
     "b_says": ["Why do taxpayers fund palaces for one privileged family?", "Nobody should be born to rule over us.",
                "Elect the head of state, it's the twenty-first century."],
     "a_tags": ["GodSaveTheKing"], "b_tags": ["NotMyKing"],
     "neutral": ["The palace gardens open to visitors in August.", "The royal archives were digitised."]},
    {"key": "ukraine",
     "a": ["Ukraine", "military aid to Kyiv"],
     "b": ["Russia's war"],
     "a_says": ["Slava Ukraini!", "Send the defenders everything they need to win.",
                "Every village liberated is a victory for freedom.", "Heroes' cities under missile fire, and they still stand."],
     "b_says": ["The special military operation protects Russian speakers.", "The West provoked this conflict and should stop arming the regime.",
                "Donbas is Russian land.", "Stop sending our money to a corrupt regime's war."],
     "a_tags": ["StandWithUkraine"], "b_tags": ["NoWar"],
     "neutral": ["The talks on grain exports resume on Monday.", "The border crossing was closed for several hours."]},
    {"key": "nuclear",
     "a": ["nuclear power"],
     "b": ["the anti-nuclear movement"],
     "a_says": ["Reactors give us steady low-carbon power day and night.", "Modern plants are the safest energy source per unit of power.",
                "Closing working reactors and burning coal instead is madness."],
     "b_says": ["Remember Chernobyl and Fukushima.", "Nobody knows where to put the waste for the next 100,000 years.",
                "Not in my back yard, not anywhere."],
     "a_tags": ["NuclearNow"], "b_tags": ["NoNukes"],
     "neutral": ["The plant's annual maintenance starts in May.", "The regulator published its inspection schedule."]},
    {"key": "tech",
     "a": ["artificial intelligence", "self-driving cars"],
     "b": ["the tech backlash"],
     "a_says": ["These assistants save me hours every single week.", "Robot drivers don't drink, text or fall asleep.",
                "Progress is unstoppable and it's making life better."],
     "b_says": ["Machines will take our jobs and spread lies.", "I will never hand my life to a computer.",
                "Big Tech is building a surveillance nightmare."],
     "a_tags": ["FutureIsNow"], "b_tags": ["HumanFirst"],
     "neutral": ["The tech fair opens on Tuesday.", "The software update rolls out next week."]},
    {"key": "unions",
     "a": ["trade unions", "striking workers"],
     "b": ["the employers' federation"],
     "a_says": ["Collective bargaining won us the weekend.", "Solidarity on the picket line this morning!",
                "When we organise, we win.", "An injury to one is an injury to all."],
     "b_says": ["Another strike, another week without trains.", "Union bosses are holding the country hostage.",
                "Flexible contracts create jobs, rigid rules kill them.", "Get back to work."],
     "a_tags": ["Solidarity", "UnionStrong"], "b_tags": ["EndTheStrikes"],
     "neutral": ["Negotiations resume on Thursday.", "The wage agreement runs until next year."]},
    {"key": "deathpenalty",
     "a": ["the death penalty"],
     "b": ["the abolitionist campaign"],
     "a_says": ["Murderers who take a life should pay with their own.", "Justice for the victims means the ultimate punishment.",
                "Some crimes are so monstrous that no prison sentence is enough."],
     "b_says": ["The state should never kill its own citizens.", "Innocent people have been executed.",
                "An eye for an eye leaves the whole world blind."],
     "a_tags": ["JusticeForVictims"], "b_tags": ["EndTheExecutions"],
     "neutral": ["The appeal hearing is set for next week.", "The prison reform report was published."]},
    {"key": "brexit",
     "a": ["Brexit"],
     "b": ["the European Union"],
     "a_says": ["We took back control of our laws and borders.", "Best vote this country ever made.",
                "Unelected bureaucrats should not write our laws."],
     "b_says": ["Leaving the single market wrecked our exports.", "Seventy years of peace and open borders on this continent.",
                "I miss my freedom to live and work in twenty-seven countries."],
     "a_tags": ["TakeBackControl"], "b_tags": ["StrongerTogether"],
     "neutral": ["The trade committee meets on Thursday.", "Customs rules change on 1 January."]},
]

SOCIAL_PREFIXES = ["", "", "", "", "RT ", "Honestly, ", "Reminder: ", "Unpopular opinion: ", "Say it louder: ",
                   "Facts. ", "@user ", "Let's be clear. ", "Hot take: ", "Once again: "]
SOCIAL_SUFFIXES = ["", "", "", "", " Period.", " Wake up, people.", " Retweet if you agree.", " End of story.",
                   " Think about it.", " #truth"]
NEUTRAL_CHATTER_PREFIXES = ["", "", "Update: ", "FYI ", "@user ", "News: "]


def _decapitalise_after(prefix: str, clause: str) -> str:
    """"Honestly, " + "Refugees welcome." → "Honestly, refugees welcome." (names and "I" kept)."""
    keep = ("I ", "I'm", "God", "Jesus", "Allah", "Slava", "Donbas", "Big ", "Back ", "CO2")
    if prefix.endswith(", ") and not clause.startswith(keep):
        return clause[0].lower() + clause[1:]
    return clause


def _social_text(says: list[str], tags: list[str], r: random.Random) -> str:
    clauses = r.sample(says, 2 if r.random() < 0.3 else 1)
    prefix = r.choice(SOCIAL_PREFIXES)
    text = prefix + _decapitalise_after(prefix, clauses[0])
    if len(clauses) > 1:
        text += " " + clauses[1]
    text += r.choice(SOCIAL_SUFFIXES)
    if tags and r.random() < 0.5:
        text += " " + " ".join("#" + t for t in r.sample(tags, 1 if r.random() < 0.7 else min(2, len(tags))))
    return text


def make_topic_stance(r: random.Random, per_side: int = 70) -> list[dict]:
    """Implicit-stance rows: side texts → FAVOR/AGAINST toward each side's targets; neutral → NONE;
    a topic's texts paired with another topic's target → NONE."""
    rows: list[dict] = []
    for topic in TOPICS:
        for side, other in (("a", "b"), ("b", "a")):
            says, tags = topic[f"{side}_says"], topic[f"{side}_tags"]
            for _ in range(per_side):
                text = _social_text(says, tags, r)
                if r.random() < 0.5:
                    rows.append({"target": r.choice(topic[side]), "text": text, "label": "FAVOR"})
                else:
                    rows.append({"target": r.choice(topic[other]), "text": text, "label": "AGAINST"})
            # the same kind of text about an unrelated topic's target: NONE
            for _ in range(per_side // 7):
                foreign = r.choice([t for t in TOPICS if t["key"] != topic["key"]])
                rows.append({"target": r.choice(foreign["a"] + foreign["b"]),
                             "text": _social_text(says, tags, r), "label": "NONE"})
        for clause in topic["neutral"]:
            for target in r.sample(topic["a"] + topic["b"], min(3, len(topic["a"] + topic["b"]))):
                rows.append({"target": target, "text": r.choice(NEUTRAL_CHATTER_PREFIXES) + clause, "label": "NONE"})
    return rows


def _stance_fill(template: str, target: str, ref: str, r: random.Random) -> str:
    text = template.replace("{T}", target).replace("{R}", ref)
    text = re.sub(r"\{(\w+)\}", lambda m: {
        "day": r.choice(DAYS), "month": r.choice(MONTHS), "city": r.choice(CITIES)}[m.group(1)], text)
    text = re.sub(r"^the ", "The ", text)
    return text[0].upper() + text[1:]


def make_stance(r: random.Random) -> list[dict]:
    rows: list[dict] = []
    seen: set[tuple[str, str]] = set()

    def add(target: str, text: str, label: str) -> None:
        if (target, text) not in seen:
            seen.add((target, text))
            rows.append({"target": target, "text": text, "label": label})

    names = [t[0] for t in TARGETS]
    for name, kind, refs in TARGETS:
        for bank, label, n in ((FAVOR_T, "FAVOR", 5), (AGAINST_T, "AGAINST", 5), (NONE_T, "NONE", 4)):
            pool = bank["any"] + bank[kind]
            for template in r.sample(pool, n):
                use_ref = "{R}" in template or ("{T}" in template and r.random() < 0.25)
                ref = r.choice(refs)
                tpl = template.replace("{T}", "{R}") if use_ref and "{R}" not in template else template
                add(name, _stance_fill(tpl, name, ref, r), label)
        # the text is about something else: unrelated chatter, or an opinion about another target
        add(name, r.choice(UNRELATED), "NONE")
        other = r.choice([x for x in TARGETS if x[0] != name and x[1] == kind] or TARGETS)
        bank = r.choice([FAVOR_T, AGAINST_T])
        add(name, _stance_fill(r.choice(bank["any"] + bank[other[1]]), other[0], r.choice(other[2]), r), "NONE")
    for name, label, text in IMPLICIT:
        assert name in names, name
        add(name, text, label)
    for row in make_topic_stance(random.Random(SEED + 2)):
        add(row["target"], row["text"], row["label"])
    r.shuffle(rows)
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    sentiment = make_sentiment(random.Random(SEED))
    stance = make_stance(random.Random(SEED + 1))
    write_jsonl(HERE / "sentiment_train.jsonl", sentiment)
    write_jsonl(HERE / "stance_train.jsonl", stance)
    from collections import Counter

    print("sentiment", len(sentiment), dict(Counter(r["label"] for r in sentiment)))
    print("stance", len(stance), dict(Counter(r["label"] for r in stance)),
          "targets", len({r["target"] for r in stance}))


if __name__ == "__main__":
    main()
