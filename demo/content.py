"""The AES demo newsroom: stories written in our own words from the reports in shared/seeds."""

SOURCES = {
    "charter-guide": "Study-guide summary, “Mali, Burkina Faso, and Niger Sign Mutual Defence Pact to Combat Terrorism”, 19 September 2023",
    "caspian-times": "The Caspian Times, “Mali, Niger and Burkina Faso form new security alliance in the Sahel” (page dated 23 July 2024)",
}

AUTHORS = [
    {
        "slug": "aminata-diallo",
        "name": "Aminata Diallo",
        "bio": "Editor of the newsroom’s Sahel desk, covering diplomacy and regional politics in West Africa. A fictional byline created for this demo.",
    },
    {
        "slug": "idrissa-ouedraogo",
        "name": "Idrissa Ouédraogo",
        "bio": "Security correspondent following armed conflict and defence cooperation in the central Sahel. A fictional byline created for this demo.",
    },
    {
        "slug": "claire-mensah",
        "name": "Claire Mensah",
        "bio": "Explainers editor who turns complex regional stories into short, readable guides. A fictional byline created for this demo.",
    },
]

TOPICS = [
    {
        "name": "Alliance of Sahel States",
        "slug": "aes",
        "featured": "liptako-gourma-charter-what-the-aes-sets-out-to-do",
        "description": "The Alliance of Sahel States, or AES, brings together Mali, Burkina Faso and Niger. It was created by the Liptako-Gourma Charter, signed on 16 September 2023, under which the three countries promise to defend one another and to fight terrorism together.",
    },
    {
        "name": "Mali",
        "slug": "mali",
        "featured": "sahel-juntas-seal-mutual-defence-pact",
        "description": "Mali is a landlocked Sahel country governed by a military junta led by Assimi Goïta. It is a founding member of the Alliance of Sahel States and faces both jihadist insurgents and renewed fighting with Tuareg armed groups.",
    },
    {
        "name": "Burkina Faso",
        "slug": "burkina-faso",
        "description": "Burkina Faso is a landlocked Sahel country under military rule and a founding member of the Alliance of Sahel States. Like its partners, it is battling insurgents aligned with al-Qaeda or the Islamic State group.",
    },
    {
        "name": "Niger",
        "slug": "niger",
        "featured": "niger-coup-ecowas-threat-and-the-road-to-the-aes",
        "description": "Niger is a landlocked Sahel country where the military seized power in July 2023, removing President Mohamed Bazoum. The coup prompted threats of intervention from ECOWAS and preceded Niger’s entry into the Alliance of Sahel States.",
    },
    {
        "name": "Liptako-Gourma",
        "slug": "liptako-gourma",
        "featured": "liptako-gourma-charter-what-the-aes-sets-out-to-do",
        "description": "Liptako-Gourma is the border area where Mali, Burkina Faso and Niger meet, and the region has suffered heavily from jihadist activity in recent years. It gives its name to the charter that founded the Alliance of Sahel States.",
    },
    {
        "name": "ECOWAS",
        "slug": "ecowas",
        "featured": "niger-coup-ecowas-threat-and-the-road-to-the-aes",
        "description": "The Economic Community of West African States is the main regional bloc in West Africa. After the July 2023 coup in Niger it warned that it could intervene militarily to bring back constitutional order there, widening its rift with the three Sahel juntas.",
    },
    {
        "name": "G5 Sahel",
        "slug": "g5-sahel",
        "featured": "g5-sahel-joint-force-before-the-aes",
        "description": "The G5 Sahel grouped five countries: Mali, Burkina Faso, Niger, Chad and Mauritania. Their French-backed joint force, launched in 2017 to fight Islamist armed groups, was badly weakened when Mali left after its 2020 coup.",
    },
    {
        "name": "France",
        "slug": "france",
        "featured": "france-sahel-withdrawals-and-niger-stand-off",
        "description": "France, the former colonial power in Mali, Burkina Faso and Niger, once backed the G5 Sahel joint force. Its relations with the three military governments have deteriorated, and French forces have had to leave Mali and Burkina Faso.",
    },
    {
        "name": "Chad",
        "slug": "chad",
        "description": "Chad was one of the five members of the G5 Sahel and took part in the joint force launched in 2017. It is not a member of the Alliance of Sahel States.",
    },
    {
        "name": "Mauritania",
        "slug": "mauritania",
        "description": "Mauritania was one of the five members of the G5 Sahel and took part in the joint force launched in 2017. It is not a member of the Alliance of Sahel States.",
    },
    {
        "name": "Terrorism",
        "slug": "terrorism",
        "description": "Fighting terrorism on the territory of its members is the first priority of the Alliance of Sahel States. Our coverage follows the insurgencies in the central Sahel and the responses of governments in the region.",
    },
    {
        "name": "Jihadist groups",
        "slug": "jihadist-groups",
        "featured": "jihadist-groups-the-sahel-alliance-is-meant-to-confront",
        "description": "Armed movements affiliated with al-Qaeda or with the Islamic State operate across Mali, Burkina Faso and Niger. The violence they wage has cost thousands of lives and uprooted millions of people.",
    },
    {
        "name": "JNIM/GSIM",
        "slug": "jnim-gsim",
        "description": "The Support Group for Islam and Muslims is known by its French initials GSIM and, from its Arabic name, as JNIM. It is one of the main jihadist organisations threatening Mali and its neighbours.",
    },
    {
        "name": "Tuareg armed groups",
        "slug": "tuareg-armed-groups",
        "featured": "why-malis-2015-peace-deal-has-done-little-to-end-the-conflict",
        "description": "Armed movements made up mostly of Tuareg fighters have renewed hostilities against Mali’s government. The 2015 peace agreement meant to settle that conflict is widely seen as having achieved little.",
    },
    {
        "name": "Military coups",
        "slug": "military-coups",
        "description": "Military juntas have taken power by force in Mali, Burkina Faso and Niger, most recently in Niger in July 2023. The coups have strained the three countries’ relations with their neighbours and with international partners.",
    },
    {
        "name": "Security",
        "slug": "security",
        "description": "Coverage of armed conflict, defence cooperation and the safety of civilians in the central Sahel. It includes the pressures on national armies and the claims governments make about progress.",
    },
    {
        "name": "Defence pacts",
        "slug": "defence-pacts",
        "featured": "inside-the-aes-charter-mutual-defence-clause",
        "description": "Agreements under which states promise to help one another if attacked. The Liptako-Gourma Charter is the founding defence pact of the Alliance of Sahel States.",
    },
    {
        "name": "2015 Algiers peace agreement",
        "slug": "2015-algiers-peace-agreement",
        "description": "The 2015 agreement between Mali’s government and Tuareg armed groups, reached with Algerian mediation, was meant to end the conflict in the north of the country. It is widely regarded as having had little effect.",
    },
    {
        "name": "Assimi Goïta",
        "slug": "assimi-goita",
        "description": "Assimi Goïta leads Mali’s military government. He made the signing of the Liptako-Gourma Charter public in a post on X.",
    },
]

STORIES = [
    # ------------------------------------------------------------------ signing day
    {
        "slug": "goita-announces-sahel-defence-charter-on-x",
        "headline": "Goïta announces Sahel defence charter in a post on X",
        "dek": "Mali’s military leader says the leaders of Burkina Faso and Niger put their names to the pact alongside him.",
        "body": """<p>Assimi Goïta, the head of Mali’s military government, used the social media platform X, formerly known as Twitter, on Saturday to announce the signing of the Liptako-Gourma Charter, the founding text of a new Alliance of Sahel States.</p>
<p>In his post, Goïta said the leaders of Burkina Faso and Niger had signed the charter alongside him. He described its purpose as setting up a framework for common defence and for mutual help between the three countries, to the benefit of the people who live in them.</p>
<p>The agreement binds Mali, Burkina Faso and Niger to come to one another’s aid, including with military force, if any of them is attacked. It is designed to deal both with armed rebellion inside their borders and with aggression from outside.</p>
<p>All three countries are governed by military authorities that came to power in coups, and each is battling jihadist insurgencies tied to al-Qaeda or to the Islamic State group. Their relations with the West African bloc ECOWAS have worsened since the military takeover in Niger in July, after which the bloc raised the prospect of military action to bring back constitutional government there.</p>
<p>Mali and Burkina Faso had already pledged to stand by Niger if it came under attack. The charter now puts that pledge in writing. This story will be updated as further details of the alliance emerge.</p>""",
        "authors": ["aminata-diallo"],
        "published_at": "2023-09-16T15:20:00+00:00",
        "topics": [
            "Assimi Goïta",
            "Mali",
            "Alliance of Sahel States",
            "Liptako-Gourma",
        ],
        "related": [],
        "sources": ["caspian-times"],
        "image": {
            "alt": "Illustration of three banded rectangular panels in sand, navy and green standing side by side, with the label “ON X”",
            "caption": "Mali’s junta leader announced the new alliance on social media on the day of the signing.",
            "credit": "Illustration: AES Newsroom",
            "motif": "flags",
            "palette": ["#16324f", "#e0b15c", "#3f8f6b"],
            "label": "ON X",
        },
    },
    {
        "slug": "sahel-juntas-seal-mutual-defence-pact",
        "headline": "Three Sahel juntas seal a mutual-defence pact as ties with their neighbours fray",
        "dek": "The three military-led Sahel states promise to come to each other’s aid, with troops if need be, should any one of them be attacked.",
        "body": """<p>The governments of Mali, Burkina Faso and Niger on Saturday, 16 September 2023, put their names to a mutual-defence agreement that creates a new bloc, the Alliance of Sahel States, or AES. Under the pact, each of the three countries undertakes to help the others, with military force if necessary, should any one of them come under attack.</p>
<p>All three neighbours are run by military authorities that took power in coups, and all three are landlocked countries in the Sahel, the semi-arid belt that stretches across Africa south of the Sahara. The new alliance is aimed at two kinds of danger: armed rebellion inside their borders and aggression from beyond them.</p>
<h2>What the three governments have promised</h2>
<p>The founding text, called the Liptako-Gourma Charter, treats an assault on the sovereignty or territorial integrity of any signatory as an act of aggression against every one of them. In that event, the other members are to respond, either alone or together, and the charter expressly allows that response to be military.</p>
<p>The commitment is not limited to threats from abroad. The charter also obliges the three states to work to head off armed rebellions and, where they break out, to help bring them to an end.</p>
<p>Mali’s military leader, Assimi Goïta, made the agreement public in a post on X, the platform previously called Twitter. He wrote that the leaders of Burkina Faso and Niger had signed it with him, and presented the pact as a framework for common defence and mutual support intended to benefit the people of the three countries.</p>
<h2>A deepening rift with ECOWAS</h2>
<p>The pact comes as the three capitals face a widening gap with their neighbours. Militant groups allied to al-Qaeda or to the Islamic State have waged insurgencies across the region that have cost thousands of lives and forced millions from their homes, and none of the three governments has managed to bring the violence under control.</p>
<p>At the same time, the coups that installed military rulers in Bamako, Ouagadougou and Niamey have damaged relations with the countries around them and with partners further afield. The most recent, in Niger in July 2023, pushed the trio further away from the Economic Community of West African States. The regional bloc has raised the prospect of military action to return Niger to constitutional government, and Mali and Burkina Faso have said they would come to Niger’s defence if it were attacked. The new charter gives that promise a formal footing.</p>
<h2>From the G5 Sahel to an alliance of three</h2>
<p>This is not the first time the three have pooled their security efforts. They belonged, along with Chad and Mauritania, to the G5 Sahel, whose French-backed joint force was launched in 2017 to take on Islamist armed groups in the region.</p>
<p>That arrangement began to unravel after Mali’s army seized power in 2020 and the country later withdrew from the organisation. Niger’s president at the time, Mohamed Bazoum, responded by saying that the joint force had in effect ceased to exist. Bazoum has since been removed from office in the July coup.</p>
<h2>Relations with France at a low point</h2>
<p>France, the former colonial power in all three countries, has seen its relationships with them deteriorate since the military takeovers. It has already had to pull its troops out of Mali and Burkina Faso.</p>
<p>In Niger, the dispute remains unresolved. The military authorities in Niamey have demanded that France withdraw both its soldiers and its ambassador, while Paris has declined to recognise the junta as a legitimate authority, leaving the two sides locked in a stand-off.</p>
<p>By binding themselves to one another, the three governments are signalling that they intend to face these pressures together rather than one at a time. How the alliance will be organised in practice, and how the rest of the region will respond, remains to be seen.</p>""",
        "authors": ["aminata-diallo", "idrissa-ouedraogo"],
        "published_at": "2023-09-17T09:00:00+00:00",
        "topics": [
            "Alliance of Sahel States",
            "Liptako-Gourma",
            "Defence pacts",
            "ECOWAS",
            "G5 Sahel",
            "France",
        ],
        "related": ["goita-announces-sahel-defence-charter-on-x"],
        "sources": ["caspian-times"],
        "image": {
            "alt": "Illustrated map-style graphic of three joined country shapes meeting at a single marked point, with dotted lines running to small town markers",
            "caption": "Mali, Burkina Faso and Niger, whose borders meet in the Liptako-Gourma area, have formed the Alliance of Sahel States.",
            "credit": "Illustration: AES Newsroom",
            "motif": "map",
            "palette": ["#5b2a1a", "#d39b3f", "#2f6f73"],
            "label": "AES PACT",
        },
    },
    {
        "slug": "inside-the-aes-charter-mutual-defence-clause",
        "headline": "Inside the AES charter: what the mutual-defence clause commits its members to",
        "dek": "An attack on the sovereignty or territory of one signatory is to be treated as aggression against all three.",
        "body": """<p>At the heart of the Liptako-Gourma Charter, signed by Mali, Burkina Faso and Niger on 16 September 2023, is a collective-defence clause. Here is what it provides, in brief.</p>
<h3>One attack, three targets</h3>
<p>If one signatory, or several, suffers an attack on its sovereignty or territory, the other members are to treat it as aggression against themselves too.</p>
<h3>A duty to respond</h3>
<p>When that happens, the remaining members are to give assistance, acting on their own or jointly. The charter states that this help may be military.</p>
<h3>Rebellions as well as invasions</h3>
<p>The pact is not only about foreign threats. The three governments also undertake to head off armed rebellions and to help end those that do break out.</p>
<h3>Why it matters now</h3>
<p>The clause turns earlier political statements into a written commitment. After the July 2023 coup in Niger, the West African bloc ECOWAS threatened a military intervention there, and Mali and Burkina Faso said they would regard an operation of that kind as a “declaration of war”. Under the charter, that show of solidarity becomes a treaty obligation.</p>
<p>The alliance’s declared first priority, however, is a joint campaign against terrorism on the territory of its three members, where militants loyal to al-Qaeda or the Islamic State remain active.</p>""",
        "authors": ["idrissa-ouedraogo"],
        "published_at": "2023-09-18T11:15:00+00:00",
        "topics": [
            "Defence pacts",
            "Liptako-Gourma",
            "Alliance of Sahel States",
            "Security",
        ],
        "related": [
            "sahel-juntas-seal-mutual-defence-pact",
            "goita-announces-sahel-defence-charter-on-x",
        ],
        "sources": ["caspian-times", "charter-guide"],
        "image": {
            "alt": "Abstract illustration of concentric rings and overlapping triangles on a dark blue and gold gradient",
            "caption": "Under the charter, an attack on one member is to be treated as an attack on all three.",
            "credit": "Illustration: AES Newsroom",
            "motif": "abstract",
            "palette": ["#1b2a41", "#c9a227", "#8fb8de"],
            "label": "MUTUAL DEFENCE",
        },
    },
    {
        "slug": "mali-burkina-faso-declaration-of-war-warning-now-in-a-pact",
        "headline": "Mali and Burkina Faso’s “declaration of war” warning, now written into a pact",
        "dek": "The two juntas said an ECOWAS intervention in Niger would be treated as an attack on them; the new charter formalises that stance.",
        "body": """<p>Weeks before the Alliance of Sahel States was founded, its members had already signalled how closely they intended to stand together.</p>
<p>After soldiers seized power in Niger in July 2023, ECOWAS, the Economic Community of West African States, threatened military action to bring back constitutional government there. Mali and Burkina Faso, both also led by military governments, answered with a stark warning: an intervention of that kind would be regarded as a “declaration of war” on them too. Both pledged to defend Niger if it came under attack.</p>
<p>The Liptako-Gourma Charter, signed on 16 September 2023, turns that position into a formal commitment. Under the pact, an attack on the sovereignty or territory of any member counts as aggression against all, and the others are bound to respond, separately or together, with troops if necessary.</p>
<p>The warning and the charter both reflect the growing distance between the three Sahel states and the regional bloc. Coups in all three countries have strained their relations with neighbouring governments and with international partners, and the crisis over Niger widened that gap further.</p>
<p>For ECOWAS, the practical consequence is that any use of force in Niger would now run up against a written defence pledge involving two more countries, rather than a set of public statements.</p>""",
        "authors": ["aminata-diallo"],
        "published_at": "2023-09-19T08:40:00+00:00",
        "topics": ["ECOWAS", "Mali", "Burkina Faso", "Niger", "Defence pacts"],
        "related": [
            "inside-the-aes-charter-mutual-defence-clause",
            "sahel-juntas-seal-mutual-defence-pact",
        ],
        "sources": ["charter-guide", "caspian-times"],
        "image": {
            "alt": "Abstract illustration of rings and sharp triangles in deep red and plum tones",
            "caption": "Mali and Burkina Faso warned ECOWAS against any military operation in Niger.",
            "credit": "Illustration: AES Newsroom",
            "motif": "abstract",
            "palette": ["#3d1f2b", "#b5473a", "#f0c987"],
            "label": "DECLARATION OF WAR",
        },
    },
    # ------------------------------------------------------------------ explainers and follow-ups
    {
        "slug": "liptako-gourma-charter-what-the-aes-sets-out-to-do",
        "headline": "What the Liptako-Gourma Charter sets out to do, and the security tests facing the new alliance",
        "dek": "The Alliance of Sahel States puts the fight against terrorism first, but its founders face jihadist insurgencies, Tuareg rebels and a stalled peace deal.",
        "body": """<p>The military governments of Mali, Burkina Faso and Niger have set up a joint security framework by signing the Liptako-Gourma Charter. The document creates the Alliance of Sahel States, known by its French initials as the AES, and binds the three countries to defend one another and to cooperate against terrorism and wider insecurity in the Sahel.</p>
<p>This explainer looks at what the charter is for, why it carries the name of a border region, and what stands in the way of the alliance’s ambitions.</p>
<h2>An alliance built on mutual help</h2>
<p>At its core, the charter is a pledge of solidarity. The three signatories have agreed that if any one of them is attacked, the others will come to its assistance, and that this help may include military support. In that respect the text works much like other mutual-defence treaties: an attack on one member is meant to be answered by all of them.</p>
<p>The stated purpose goes beyond protecting governments. The founders describe the AES as a shared system of defence and support that is meant to serve the populations of the three countries, many of whom have lived for years with the consequences of armed violence.</p>
<p>The pact also has a political backdrop. After the military took power in Niger in July 2023, ECOWAS, West Africa’s regional bloc, threatened to intervene there by force. Mali and Burkina Faso replied that such a move would amount to a “declaration of war” on them as well. The mutual-defence pledge in the new charter gives that stance a written basis.</p>
<h2>Liptako-Gourma and the fight against terrorism</h2>
<p>The charter takes its name from Liptako-Gourma, the area where the frontiers of Mali, Burkina Faso and Niger come together. Jihadist activity has caused serious difficulties there in recent years, making the zone one of the main security concerns for all three governments.</p>
<p>Naming the pact after this shared borderland signals that the three governments see the security of the area as a common problem rather than three separate ones.</p>
<p>The alliance’s top priority is to combat terrorism together on the territory of its three members. That focus reflects the threat each government faces from armed jihadist movements, and it suggests how the pact is likely to be judged: by whether it makes the worst-affected areas safer for the people who live there.</p>
<h2>The security challenges ahead</h2>
<p>The new alliance takes on heavy burdens, and Mali’s situation illustrates them. The country is fighting jihadist groups tied to al-Qaeda and to the Islamic State. Among the organisations active in the region is the Support Group for Islam and Muslims, known by the acronyms GSIM and JNIM.</p>
<p>Mali is also facing a fresh outbreak of fighting with armed groups drawn mainly from the Tuareg community. The peace accord signed in 2015 by the Malian state and Tuareg armed movements, which was meant to settle that conflict, is widely regarded as having achieved little.</p>
<p>Fighting on several fronts at once puts heavy pressure on Mali’s armed forces, which were already operating under strain. It also invites scrutiny of the junta’s assertions that security in the country has been getting better.</p>
<h2>What to watch</h2>
<p>The reporting so far describes the charter’s aims rather than its machinery. Several questions remain open: how the three armies will coordinate in practice, how the alliance will be organised and financed, and whether joint action can reduce violence in the Liptako-Gourma border zone. The answers will show whether the AES becomes a working security partnership or remains mainly a statement of political solidarity among three military governments.</p>""",
        "authors": ["claire-mensah"],
        "published_at": "2023-09-20T10:30:00+00:00",
        "topics": [
            "Liptako-Gourma",
            "Alliance of Sahel States",
            "Terrorism",
            "Jihadist groups",
            "Tuareg armed groups",
            "Mali",
        ],
        "related": [
            "sahel-juntas-seal-mutual-defence-pact",
            "inside-the-aes-charter-mutual-defence-clause",
            "mali-burkina-faso-declaration-of-war-warning-now-in-a-pact",
        ],
        "sources": ["charter-guide"],
        "image": {
            "alt": "Illustrated map-style graphic of the Liptako-Gourma border area: three country shapes meeting at one marked point, with dotted routes to small towns",
            "caption": "The charter is named after Liptako-Gourma, the zone where the three countries’ borders meet.",
            "credit": "Illustration: AES Newsroom",
            "motif": "map",
            "palette": ["#7a3b1d", "#d9a441", "#2e6f77"],
            "label": "LIPTAKO-GOURMA",
        },
    },
    {
        "slug": "france-sahel-withdrawals-and-niger-stand-off",
        "headline": "France and the Sahel juntas: troops gone from Mali and Burkina Faso, a stand-off in Niger",
        "dek": "Paris has pulled its soldiers out of two of the three AES countries and refuses to recognise the military authorities in Niamey.",
        "body": """<p>As Mali, Burkina Faso and Niger draw closer through their new defence pact, their relations with France, the former colonial power in all three, have reached a low ebb.</p>
<p>Ties between Paris and the three capitals have deteriorated since soldiers took over the government in all three. French troops have already been forced out of Mali and Burkina Faso.</p>
<p>Niger is now the focus of the dispute. The military rulers who took over in July 2023 have told France to pull out its soldiers and recall its ambassador. France has refused to recognise the junta’s authority, and the two sides remain at an impasse.</p>
<p>The rupture marks a sharp turn. France previously supported the G5 Sahel joint force, launched in 2017, in which the three countries worked with Chad and Mauritania against Islamist armed groups. That framework weakened badly after Mali, whose army seized power in 2020, left the organisation.</p>
<p>The new Alliance of Sahel States, created by the Liptako-Gourma Charter on 16 September 2023, is an arrangement among the three countries alone, built on a promise to defend one another against armed rebellion and external aggression.</p>
<p>Meanwhile, the insurgencies that drew French forces to the region have not gone away. Militants allied to al-Qaeda or the Islamic State are still active, and the violence has left thousands dead across the Sahel and millions displaced.</p>""",
        "authors": ["aminata-diallo"],
        "published_at": "2023-09-21T13:45:00+00:00",
        "topics": ["France", "Niger", "Mali", "Burkina Faso", "Military coups"],
        "related": ["sahel-juntas-seal-mutual-defence-pact"],
        "sources": ["caspian-times"],
        "image": {
            "alt": "Abstract illustration of concentric rings and triangles in navy, red and pale grey tones on a dark gradient",
            "caption": "Relations between Paris and the three military governments have worsened since the coups.",
            "credit": "Illustration: AES Newsroom",
            "motif": "abstract",
            "palette": ["#1c2541", "#c1453d", "#d8dee9"],
            "label": "FRANCE",
        },
    },
    {
        "slug": "tuareg-armed-groups-renew-hostilities-in-mali",
        "headline": "Renewed fighting with Tuareg armed groups adds to the pressure on Mali’s army",
        "dek": "A second front alongside the jihadist insurgency tests the Malian military and the junta’s claims of progress.",
        "body": """<p>Mali’s armed forces are facing renewed hostilities from armed groups made up predominantly of Tuareg fighters, on top of a long fight against jihadist insurgents.</p>
<p>The military government already contends with groups allied to al-Qaeda and to the Islamic State, among them the Support Group for Islam and Muslims, also known as JNIM or GSIM. The resurgence of fighting with Tuareg-dominated groups means the army must now deal with more than one kind of opponent at once.</p>
<p>The escalation raises two problems for the authorities in Bamako:</p>
<ul>
<li><strong>An overloaded military.</strong> Mali’s army was already operating under heavy strain, and additional fronts make it harder to cover the country’s vast territory.</li>
<li><strong>Questions about progress.</strong> The junta has said that security is improving; the rise in clashes makes that claim harder to sustain.</li>
</ul>
<p>The unrest also exposes the weakness of the peace deal Mali reached with Tuareg armed groups in 2015, which is regarded as having had little effect.</p>
<p>The developments come days after Mali signed the Liptako-Gourma Charter with Burkina Faso and Niger. The pact binds the three to help each other against attack and to head off or end armed rebellions, though the first priority it sets is the joint fight against terrorism.</p>""",
        "authors": ["idrissa-ouedraogo"],
        "published_at": "2023-09-26T08:15:00+00:00",
        "topics": [
            "Tuareg armed groups",
            "Mali",
            "Security",
            "Jihadist groups",
            "2015 Algiers peace agreement",
        ],
        "related": [
            "liptako-gourma-charter-what-the-aes-sets-out-to-do",
            "inside-the-aes-charter-mutual-defence-clause",
        ],
        "sources": ["charter-guide", "caspian-times"],
        "image": {
            "alt": "Illustrated map-style graphic of three sand and ochre country shapes meeting at a marked point, linked by dotted routes",
            "caption": "Mali’s army faces renewed fighting with Tuareg armed groups as well as jihadist insurgents.",
            "credit": "Illustration: AES Newsroom",
            "motif": "map",
            "palette": ["#3b2f2f", "#c98b4a", "#e8d3a9"],
            "label": "NORTHERN MALI",
        },
    },
    {
        "slug": "niger-coup-ecowas-threat-and-the-road-to-the-aes",
        "headline": "Explainer: how Niger’s July coup and ECOWAS’s threat shaped the new Sahel alliance",
        "dek": "The military takeover in Niamey widened the split between three Sahel juntas and West Africa’s regional bloc.",
        "body": """<p>The Alliance of Sahel States did not emerge from nowhere. Its founding charter was signed in September 2023, less than two months after a coup in Niger that sharpened tensions across West Africa.</p>
<h3>The coup</h3>
<p>In July 2023 the military seized power in Niger and ousted President Mohamed Bazoum. Niger thus joined Mali and Burkina Faso as a country governed by a junta that had taken over by force.</p>
<h3>ECOWAS responds</h3>
<p>The Economic Community of West African States, the regional bloc, threatened a military intervention to restore constitutional government in Niger. The threat pushed the three military-led states further away from the bloc.</p>
<h3>Neighbours close ranks</h3>
<p>Mali and Burkina Faso said they would treat an intervention in Niger as a “declaration of war” against themselves, and they promised to help Niger if it were attacked.</p>
<h3>From warnings to a treaty</h3>
<p>On 16 September 2023 the three governments signed the Liptako-Gourma Charter. It obliges each member to assist the others, with military means if need be, whenever one is attacked, and so gives formal shape to the solidarity Mali and Burkina Faso had already declared.</p>
<p>The charter also puts the fight against terrorism at the top of the alliance’s agenda. That threat predates the political crisis and is shared by all three countries, where armed factions affiliated with al-Qaeda and with the Islamic State operate.</p>""",
        "authors": ["claire-mensah"],
        "published_at": "2023-10-04T09:00:00+00:00",
        "topics": ["Niger", "Military coups", "ECOWAS", "Alliance of Sahel States"],
        "related": [
            "mali-burkina-faso-declaration-of-war-warning-now-in-a-pact",
            "sahel-juntas-seal-mutual-defence-pact",
            "france-sahel-withdrawals-and-niger-stand-off",
        ],
        "sources": ["charter-guide", "caspian-times"],
        "image": {
            "alt": "Abstract illustration of concentric rings and triangles in orange and dark green tones",
            "caption": "The July 2023 coup in Niger set off the crisis with ECOWAS that preceded the new alliance.",
            "credit": "Illustration: AES Newsroom",
            "motif": "abstract",
            "palette": ["#1f3b2d", "#e07a2f", "#f4e1c1"],
            "label": "NIGER COUP",
        },
    },
    {
        "slug": "jihadist-groups-the-sahel-alliance-is-meant-to-confront",
        "headline": "Explainer: the jihadist groups the new Sahel alliance is meant to confront",
        "dek": "Affiliates of al-Qaeda and the Islamic State, including GSIM, also known as JNIM, are active across the three AES countries.",
        "body": """<p>Fighting terrorism is the first priority of the Alliance of Sahel States. Here is a short guide to the threat its members face.</p>
<h3>Two global networks</h3>
<p>Armed Islamist groups affiliated with al-Qaeda or with the Islamic State group operate in Mali, Burkina Faso and Niger. Their insurgencies have cost thousands of lives across the region and driven millions of people from their homes.</p>
<h3>GSIM, or JNIM</h3>
<p>One of the most prominent organisations is the Support Group for Islam and Muslims. It is known in French by the initials GSIM and, from its Arabic name, as JNIM, and it is widely described as al-Qaeda’s affiliate in the Sahel. It is among the jihadist groups that threaten Mali and its neighbours.</p>
<h3>A border zone under pressure</h3>
<p>The Liptako-Gourma area, where the borders of the three countries meet, has been badly affected by jihadist activity in recent years. The alliance’s founding charter, signed on 16 September 2023, is named after the region.</p>
<h3>A crowded battlefield</h3>
<p>In Mali, the jihadist threat overlaps with renewed fighting involving armed groups made up mostly of Tuareg. Facing both at once puts a heavy load on the Malian army and has raised doubts about the junta’s claims that security is improving.</p>
<p>Earlier regional efforts, including the French-backed G5 Sahel joint force launched in 2017, did not end the insurgencies. The new alliance will be measured against the same problem.</p>""",
        "authors": ["claire-mensah", "idrissa-ouedraogo"],
        "published_at": "2023-10-11T09:30:00+00:00",
        "topics": [
            "Jihadist groups",
            "JNIM/GSIM",
            "Terrorism",
            "Liptako-Gourma",
            "Alliance of Sahel States",
        ],
        "related": [
            "liptako-gourma-charter-what-the-aes-sets-out-to-do",
            "tuareg-armed-groups-renew-hostilities-in-mali",
        ],
        "sources": ["charter-guide", "caspian-times"],
        "image": {
            "alt": "Abstract illustration of rings, triangles and diagonal stripes in charcoal and amber tones",
            "caption": "Affiliates of al-Qaeda and of the Islamic State are active in all three AES countries.",
            "credit": "Illustration: AES Newsroom",
            "motif": "abstract",
            "palette": ["#22223b", "#c08a2e", "#9a8c98"],
            "label": "JNIM / GSIM",
        },
    },
    {
        "slug": "g5-sahel-joint-force-before-the-aes",
        "headline": "Before the AES: the rise and unravelling of the G5 Sahel joint force",
        "dek": "Mali, Burkina Faso and Niger once fought Islamist armed groups alongside Chad and Mauritania in a French-backed force.",
        "body": """<p>The three countries behind the new Alliance of Sahel States have tried joint security arrangements before.</p>
<p>Mali, Burkina Faso and Niger belonged to the G5 Sahel, a grouping of five Sahel countries that also included Chad and Mauritania. In 2017 the members launched a joint military force, supported by France, to confront Islamist armed groups operating in the region.</p>
<p>The arrangement began to come apart after Mali’s army took power in a coup in 2020. Mali subsequently left the organisation, and Mohamed Bazoum, then president of Niger, concluded publicly that the joint force was effectively finished. Bazoum was himself overthrown in Niger’s coup of July 2023.</p>
<p>The Liptako-Gourma Charter, signed on 16 September 2023, brings the three central Sahel states back together in a smaller format. Unlike the G5 Sahel, the new alliance includes neither Chad nor Mauritania, and it is not backed by France, whose relations with all three governments have soured since their military takeovers.</p>
<p>Its scope is also broader. Besides combating jihadist groups, the charter obliges its members to defend one another against outside aggression, with armed force if necessary, and to head off or resolve armed rebellions.</p>""",
        "authors": ["idrissa-ouedraogo"],
        "published_at": "2023-10-18T10:00:00+00:00",
        "topics": [
            "G5 Sahel",
            "Chad",
            "Mauritania",
            "France",
            "Mali",
            "Military coups",
        ],
        "related": [
            "sahel-juntas-seal-mutual-defence-pact",
            "france-sahel-withdrawals-and-niger-stand-off",
            "jihadist-groups-the-sahel-alliance-is-meant-to-confront",
        ],
        "sources": ["caspian-times"],
        "image": {
            "alt": "Illustration of three banded rectangular panels in blue, sand and green, like simplified banners",
            "caption": "The G5 Sahel joint force, launched in 2017, brought together Mali, Burkina Faso, Niger, Chad and Mauritania.",
            "credit": "Illustration: AES Newsroom",
            "motif": "flags",
            "palette": ["#1d3557", "#e9c46a", "#2a9d8f"],
            "label": "G5 SAHEL",
        },
    },
    {
        "slug": "why-malis-2015-peace-deal-has-done-little-to-end-the-conflict",
        "headline": "Why Mali’s 2015 peace deal with Tuareg armed groups has done little to end the conflict",
        "dek": "Renewed hostilities in the north have left the agreement, reached with Algerian mediation, with little practical effect.",
        "body": """<p>Eight years on, the accord that Mali’s government signed with Tuareg armed movements in 2015 is widely judged to have achieved little.</p>
<p>The deal, negotiated with Algerian mediation and often referred to as the Algiers agreement, was meant to settle the long-running conflict between the Malian state and armed movements in the north of the country, many of them drawn from the Tuareg community.</p>
<p>In practice its effect has been limited. Armed groups that are mainly Tuareg have taken up hostilities again, opening a second front for an army that is already fighting jihadists aligned with al-Qaeda or the Islamic State, including the group known as JNIM, or GSIM.</p>
<p>The agreement’s weakness matters beyond Mali. The Liptako-Gourma Charter, which Mali signed with Burkina Faso and Niger on 16 September 2023, commits its members to try to prevent and resolve armed rebellions and to help one another if attacked. Whether the new alliance will play any part in Mali’s conflict with the armed groups is one of the open questions facing the bloc.</p>
<p>For Mali’s junta, the failure of the peace framework also complicates its message that security in the country is improving, at a time when its armed forces are under heavy strain.</p>""",
        "authors": ["idrissa-ouedraogo", "claire-mensah"],
        "published_at": "2023-10-25T11:00:00+00:00",
        "topics": [
            "2015 Algiers peace agreement",
            "Tuareg armed groups",
            "Mali",
            "Security",
        ],
        "related": [
            "tuareg-armed-groups-renew-hostilities-in-mali",
            "jihadist-groups-the-sahel-alliance-is-meant-to-confront",
            "liptako-gourma-charter-what-the-aes-sets-out-to-do",
        ],
        "sources": ["charter-guide", "caspian-times"],
        "image": {
            "alt": "Illustrated map-style graphic of three muted green and sand country shapes meeting at one point, with dotted routes to towns",
            "caption": "The 2015 agreement was meant to end the conflict between Mali’s government and Tuareg armed groups.",
            "credit": "Illustration: AES Newsroom",
            "motif": "map",
            "palette": ["#2d3a2e", "#b9975b", "#7fa37a"],
            "label": "2015 ACCORD",
        },
    },
]

# Topics issue: kinds, parents, French names, aliases, extra place topics, the AES
# timeline and fact box. Facts from the two source reports, in our own words.
TOPIC_PROFILES = {
    "aes": {"kind": "organisation", "name_fr": "Alliance des États du Sahel",
            "aliases": [("AES", "en"), ("Confederation of Sahel States", "en"),
                        ("Alliance des États du Sahel", "fr"),
                        ("Confédération des États du Sahel", "fr")]},
    "mali": {"kind": "place"},
    "burkina-faso": {"kind": "place"},
    "niger": {"kind": "place"},
    "chad": {"kind": "place", "name_fr": "Tchad"},
    "mauritania": {"kind": "place", "name_fr": "Mauritanie"},
    "france": {"kind": "place"},
    "liptako-gourma": {"kind": "place"},
    "ecowas": {"kind": "organisation", "name_fr": "CEDEAO",
               "aliases": [("Economic Community of West African States", "en"),
                           ("CEDEAO", "fr")]},
    "g5-sahel": {"kind": "organisation"},
    "jnim-gsim": {"kind": "organisation", "parent": "jihadist-groups",
                  "aliases": [("Support Group for Islam and Muslims", "en"),
                              ("JNIM", "en"), ("GSIM", "fr")]},
    "tuareg-armed-groups": {"kind": "organisation", "parent": "security",
                            "name_fr": "Groupes armés touaregs"},
    "jihadist-groups": {"kind": "organisation", "parent": "terrorism",
                        "name_fr": "Groupes djihadistes"},
    "terrorism": {"kind": "theme", "parent": "security", "name_fr": "Terrorisme"},
    "military-coups": {"kind": "theme", "name_fr": "Coups d’État militaires"},
    "security": {"kind": "theme", "name_fr": "Sécurité"},
    "defence-pacts": {"kind": "theme", "parent": "security",
                      "name_fr": "Pactes de défense"},
    "2015-algiers-peace-agreement": {"kind": "theme",
                                     "name_fr": "Accord d’Alger de 2015"},
    "assimi-goita": {"kind": "person"},
    "bamako": {"kind": "place", "parent": "mali"},
    "niamey": {"kind": "place", "parent": "niger"},
}  # fmt: skip

EXTRA_TOPICS = [
    {
        "name": "Bamako",
        "slug": "bamako",
        "description": "Mali’s capital, seat of the military government that signed the Liptako-Gourma Charter.",
    },
    {
        "name": "Niamey",
        "slug": "niamey",
        "description": "Niger’s capital, where the military took power in July 2023 and asked French troops and the French ambassador to leave.",
    },
]

# Places a demo story mentions, added to its topics when the story is created.
EXTRA_STORY_TOPICS = {
    "sahel-juntas-seal-mutual-defence-pact": ["Bamako", "Niamey"],
    "france-sahel-withdrawals-and-niger-stand-off": ["Niamey"],
    "tuareg-armed-groups-renew-hostilities-in-mali": ["Bamako"],
    "niger-coup-ecowas-threat-and-the-road-to-the-aes": ["Niamey"],
}

TIMELINES = {
    "aes": [
        (
            "2015-06-20",
            "Mali’s government and Tuareg armed groups reach the Algiers peace agreement",
            "why-malis-2015-peace-deal-has-done-little-to-end-the-conflict",
        ),
        (
            "2017-07-02",
            "G5 Sahel joint force launched with French backing",
            "g5-sahel-joint-force-before-the-aes",
        ),
        ("2020-08-18", "Military coup in Mali", None),
        (
            "2023-07-26",
            "Military coup in Niger; ECOWAS threatens to intervene",
            "niger-coup-ecowas-threat-and-the-road-to-the-aes",
        ),
        (
            "2023-09-16",
            "Liptako-Gourma Charter signed: the Alliance of Sahel States is born",
            "goita-announces-sahel-defence-charter-on-x",
        ),
    ],
}

FACT_BOXES = {
    "aes": [
        ("Members", "Mali, Burkina Faso, Niger", "2024-07-23", "caspian-times"),
        (
            "Founding text",
            "Liptako-Gourma Charter, signed 16 September 2023",
            "2023-09-19",
            "charter-guide",
        ),
        (
            "Core promise",
            "Mutual assistance, including military support, if any member is attacked",
            "2023-09-19",
            "charter-guide",
        ),
        (
            "First priority",
            "Fighting terrorism on the members’ territory",
            "2023-09-19",
            "charter-guide",
        ),
    ],
}

# The desk's workflow on the demo stories: in-body links chosen by story (stored as
# `story:<id>` and shown at the target's current address) and appended notes.
# Each link is (story, words of its body to link, target story).
BODY_LINKS = [
    (
        "sahel-juntas-seal-mutual-defence-pact",
        "a mutual-defence agreement",
        "inside-the-aes-charter-mutual-defence-clause",
    ),
    (
        "mali-burkina-faso-declaration-of-war-warning-now-in-a-pact",
        "After soldiers seized power in Niger in July 2023",
        "niger-coup-ecowas-threat-and-the-road-to-the-aes",
    ),
    (
        "france-sahel-withdrawals-and-niger-stand-off",
        "their new defence pact",
        "sahel-juntas-seal-mutual-defence-pact",
    ),
    (
        "tuareg-armed-groups-renew-hostilities-in-mali",
        "the Support Group for Islam and Muslims",
        "jihadist-groups-the-sahel-alliance-is-meant-to-confront",
    ),
    (
        "why-malis-2015-peace-deal-has-done-little-to-end-the-conflict",
        "Armed groups that are mainly Tuareg have taken up hostilities again",
        "tuareg-armed-groups-renew-hostilities-in-mali",
    ),
]

NOTES = [
    {
        "story": "goita-announces-sahel-defence-charter-on-x",
        "kind": "correction",
        "text": "An earlier version of this story said the charter was signed in "
        "Niamey. The signing was announced by Assimi Goïta from Bamako; the story "
        "no longer names a venue.",
        "created_at": "2023-09-16T19:05:00+00:00",
    },
    {
        "story": "sahel-juntas-seal-mutual-defence-pact",
        "kind": "update",
        "text": "Added what the three governments say the alliance is meant to "
        "confront.",
        "created_at": "2023-09-17T14:30:00+00:00",
    },
]

# Unpublished work the demo reporter owns (see demo/desk.py), so the
# reporter→editor workflow can be tried at once: one draft, one waiting for review.
DESK_STORIES = [
    {
        "slug": "liptako-gourma-in-five-questions",
        "status": "draft",
        "headline": "The Liptako-Gourma region in five questions",
        "dek": "Draft explainer on the border area at the heart of the AES charter.",
        "body": """<p>Where is it? The Liptako-Gourma is the area where the borders of Mali, Burkina Faso and Niger meet.</p>
<p>Why does it matter? The three governments named their 2023 mutual-defence charter after it, and much of the fighting against armed groups in the central Sahel takes place there.</p>
<p>Still to write: who lives there, which groups are active, and what the alliance has promised to do about it. Check every figure against the sources before sending for review.</p>""",
        "authors": ["claire-mensah"],
        "topics": ["Liptako-Gourma", "Alliance of Sahel States", "Security"],
    },
    {
        "slug": "from-alliance-to-confederation-what-changed",
        "status": "review",
        "headline": "From alliance to confederation: what changed for the three AES states",
        "dek": "The Sahel alliance’s members moved from a defence pact to a confederation; a short guide to the difference.",
        "body": """<p>Mali, Burkina Faso and Niger first bound themselves together in September 2023 with the Liptako-Gourma Charter, a mutual-defence pact.</p>
<p>In July 2024, meeting in Niamey, their leaders went further and signed a treaty turning the Alliance of Sahel States into a confederation, with ambitions that reach beyond security.</p>
<p>For readers, the change is one of scope: the three governments now present the alliance as a political union as well as a military one.</p>""",
        "authors": ["aminata-diallo"],
        "topics": ["Alliance of Sahel States", "Niamey", "Defence pacts"],
    },
]
