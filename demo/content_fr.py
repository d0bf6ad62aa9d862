"""The demo's French stories, written in our own words from the reports in shared/seeds.

Some translate an English demo story (`translation_of`, its slug in `content`): they
share its topics, bylines and lead image. The others exist only in French. Two of
the translations show the desk's bilingual work at once:

- `stale`: after the translation is made, its English source gets a newer version
  whose text differs (the paragraph below, in a revision of its own), so the desk
  shows "source changed since".
- `correction_pending`: the English source carries a Correction note the French
  version has not yet been given.

Written with plain spaces; `typeset()` puts in the non-breaking spaces French
typography wants inside « » and before : ; ? !.
"""

NBSP, NNBSP = "\u00a0", "\u202f"


def typeset(text):
    """French spacing: no line break inside « » or before : ; ? !"""
    for plain, fixed in [
        ("« ", "«" + NBSP),
        (" »", NBSP + "»"),
        (" :", NBSP + ":"),
        (" ;", NNBSP + ";"),
        (" ?", NNBSP + "?"),
        (" !", NNBSP + "!"),
    ]:
        text = text.replace(plain, fixed)
    return text


SOURCES = {
    "charter-guide": "Fiche de synthèse (en anglais), « Mali, Burkina Faso, and Niger Sign Mutual Defence Pact to Combat Terrorism », 19 septembre 2023",
    "caspian-times": "The Caspian Times (en anglais), « Mali, Niger and Burkina Faso form new security alliance in the Sahel » (page datée du 23 juillet 2024)",
}

CREDIT = "Illustration : AES Newsroom"

# The English source of the stale translation, revised after it was translated:
# `added` goes in after `after`, in a revision of its own.
STALE_SOURCE_REVISION = {
    "story": "inside-the-aes-charter-mutual-defence-clause",
    "after": "Here is what it provides, in brief.</p>",
    "added": "\n<p>Mali’s military leader, Assimi Goïta, who made the signing public "
    "on X, said the charter was meant to give the three countries a framework of "
    "collective defence and mutual assistance for the benefit of their "
    "populations.</p>",
    "comment": "Added who announced the charter and what its signatories say it "
    "is for.",
}

STORIES = [
    # ------------------------------------------------------------------ translations
    {
        "slug": "goita-annonce-sur-x-la-charte-de-defense-du-sahel",
        "translation_of": "goita-announces-sahel-defence-charter-on-x",
        # Published before the English correction; its own note is still to come.
        "correction_pending": True,
        "headline": "Assimi Goïta annonce sur X la signature d’une charte de défense sahélienne",
        "dek": "Le chef de la junte malienne affirme que les dirigeants du Burkina Faso et du Niger ont signé le pacte à ses côtés.",
        "body": """<p>Le chef du gouvernement militaire malien, Assimi Goïta, a annoncé samedi sur X, le réseau social autrefois appelé Twitter, la signature de la charte du Liptako-Gourma, le texte fondateur d’une nouvelle Alliance des États du Sahel (AES).</p>
<p>Selon son message, les dirigeants du Burkina Faso et du Niger ont signé le document à ses côtés. Il l’a présenté comme le socle d’une architecture de défense collective et d’assistance mutuelle entre les trois pays, au bénéfice de leurs populations.</p>
<p>L’accord engage le Mali, le Burkina Faso et le Niger à se porter secours, y compris par la force armée, si l’un d’eux est attaqué. Il vise aussi bien les rébellions armées sur leur sol que les agressions venues de l’extérieur.</p>
<p>Les trois pays sont dirigés par des autorités militaires issues de coups d’État, et chacun combat des insurrections djihadistes liées à Al-Qaïda ou au groupe État islamique. Leurs relations avec la Communauté économique des États de l’Afrique de l’Ouest (CEDEAO) se sont dégradées depuis le putsch de juillet au Niger, après lequel l’organisation régionale a brandi la menace d’une intervention militaire pour y rétablir l’ordre constitutionnel.</p>
<p>Le Mali et le Burkina Faso s’étaient déjà engagés à défendre le Niger en cas d’attaque. La charte inscrit désormais cet engagement noir sur blanc. Cet article sera mis à jour à mesure que l’on en saura davantage sur l’alliance.</p>""",
        "authors": ["aminata-diallo"],
        "published_at": "2023-09-16T18:10:00+00:00",
        "topics": [
            "Assimi Goïta",
            "Mali",
            "Alliance of Sahel States",
            "Liptako-Gourma",
        ],
        "related": [
            "charte-de-l-aes-la-clause-de-defense-mutuelle",
            "liptako-gourma-la-zone-des-trois-frontieres-au-coeur-de-l-aes",
        ],
        "sources": ["caspian-times"],
        "image": {
            "alt": "Illustration de trois panneaux rectangulaires à bandes, sable, marine et vert, dressés côte à côte, avec la mention « ON X »",
            "caption": "Le chef de la junte malienne a annoncé la nouvelle alliance sur les réseaux sociaux le jour même de la signature.",
            "credit": CREDIT,
        },
    },
    {
        "slug": "charte-de-l-aes-la-clause-de-defense-mutuelle",
        "translation_of": "inside-the-aes-charter-mutual-defence-clause",
        # Its source is revised after the translation (STALE_SOURCE_REVISION).
        "stale": True,
        "headline": "Charte de l’AES : ce à quoi la clause de défense mutuelle engage ses membres",
        "dek": "Une atteinte à la souveraineté ou au territoire de l’un des signataires doit être traitée comme une agression contre les trois.",
        "body": """<p>Au cœur de la charte du Liptako-Gourma, signée le 16 septembre 2023 par le Mali, le Burkina Faso et le Niger, figure une clause de défense collective. Voici, en bref, ce qu’elle prévoit.</p>
<h2>Une attaque, trois cibles</h2>
<p>Si l’un des signataires, ou plusieurs, subit une atteinte à sa souveraineté ou à son intégrité territoriale, les autres membres doivent la considérer comme une agression dirigée contre eux-mêmes.</p>
<h2>Une obligation de réagir</h2>
<p>Dans ce cas, les autres membres sont tenus de lui prêter assistance, individuellement ou collectivement. La charte précise que cette aide peut être militaire.</p>
<h2>Les rébellions autant que les invasions</h2>
<p>Le pacte ne vise pas seulement les menaces extérieures. Les trois gouvernements s’engagent aussi à prévenir les rébellions armées et à aider à mettre fin à celles qui éclatent.</p>
<h2>Pourquoi c’est important maintenant</h2>
<p>La clause transforme des déclarations politiques en engagement écrit. Après le coup d’État de juillet 2023 au Niger, la CEDEAO a menacé d’y intervenir militairement, et le Mali et le Burkina Faso ont prévenu qu’ils tiendraient une telle opération pour une « déclaration de guerre ». Avec la charte, cette solidarité affichée devient une obligation conventionnelle.</p>
<p>La priorité déclarée de l’alliance reste toutefois la lutte commune contre le terrorisme sur le territoire de ses trois membres, où des combattants liés à Al-Qaïda ou à l’État islamique demeurent actifs.</p>""",
        "authors": ["idrissa-ouedraogo"],
        "published_at": "2023-09-18T16:30:00+00:00",
        "topics": [
            "Defence pacts",
            "Liptako-Gourma",
            "Alliance of Sahel States",
            "Security",
        ],
        "related": [
            "goita-annonce-sur-x-la-charte-de-defense-du-sahel",
            "comprendre-le-putsch-au-niger-la-cedeao-et-la-naissance-de-l-aes",
        ],
        "sources": ["caspian-times", "charter-guide"],
        "image": {
            "alt": "Illustration abstraite d’anneaux concentriques et de triangles qui se chevauchent sur un dégradé bleu nuit et or",
            "caption": "Selon la charte, une attaque contre l’un des membres doit être considérée comme une attaque contre les trois.",
            "credit": CREDIT,
        },
    },
    {
        "slug": "comprendre-le-putsch-au-niger-la-cedeao-et-la-naissance-de-l-aes",
        "translation_of": "niger-coup-ecowas-threat-and-the-road-to-the-aes",
        "headline": "Comprendre : comment le putsch au Niger et la menace de la CEDEAO ont façonné l’alliance sahélienne",
        "dek": "La prise du pouvoir par les militaires à Niamey a creusé le fossé entre trois juntes sahéliennes et l’organisation régionale ouest-africaine.",
        "body": """<p>L’Alliance des États du Sahel n’est pas née de rien. Sa charte fondatrice a été signée en septembre 2023, moins de deux mois après un coup d’État au Niger qui a avivé les tensions dans toute l’Afrique de l’Ouest.</p>
<h2>Le putsch</h2>
<p>En juillet 2023, l’armée a pris le pouvoir au Niger et renversé le président Mohamed Bazoum. Le pays a ainsi rejoint le Mali et le Burkina Faso parmi les États dirigés par une junte arrivée au pouvoir par la force.</p>
<h2>La riposte de la CEDEAO</h2>
<p>La Communauté économique des États de l’Afrique de l’Ouest a menacé d’intervenir militairement pour rétablir l’ordre constitutionnel au Niger. Cette menace a encore éloigné de l’organisation régionale les trois États dirigés par des militaires.</p>
<h2>Les voisins font bloc</h2>
<p>Le Mali et le Burkina Faso ont déclaré qu’ils considéreraient une intervention au Niger comme une « déclaration de guerre » à leur encontre, et ont promis de venir en aide au Niger s’il était attaqué.</p>
<h2>Des mises en garde au traité</h2>
<p>Le 16 septembre 2023, les trois gouvernements ont signé la charte du Liptako-Gourma. Celle-ci oblige chaque membre à porter assistance aux autres, par des moyens militaires si nécessaire, lorsque l’un d’eux est attaqué : elle donne ainsi une forme officielle à la solidarité déjà proclamée par le Mali et le Burkina Faso.</p>
<p>La charte place aussi la lutte contre le terrorisme en tête des priorités de l’alliance. Cette menace, antérieure à la crise politique, est commune aux trois pays, où opèrent des groupes armés affiliés à Al-Qaïda et à l’État islamique.</p>""",
        "authors": ["claire-mensah"],
        "published_at": "2023-10-04T14:00:00+00:00",
        "topics": ["Niger", "Military coups", "ECOWAS", "Alliance of Sahel States"],
        "related": [
            "charte-de-l-aes-la-clause-de-defense-mutuelle",
            "paris-et-les-juntes-du-sahel-chronologie-d-une-rupture",
        ],
        "sources": ["charter-guide", "caspian-times"],
        "image": {
            "alt": "Illustration abstraite d’anneaux concentriques et de triangles dans des tons orange et vert foncé",
            "caption": "Le coup d’État de juillet 2023 au Niger a ouvert la crise avec la CEDEAO qui a précédé la nouvelle alliance.",
            "credit": CREDIT,
        },
    },
    # ------------------------------------------------------------------ French only
    {
        "slug": "aes-cedeao-g5-sahel-gsim-le-lexique-pour-s-y-retrouver",
        "headline": "AES, CEDEAO, G5 Sahel, GSIM : le petit lexique pour s’y retrouver",
        "dek": "Sigles, noms de lieux et accords : les repères essentiels pour suivre l’actualité de l’Alliance des États du Sahel.",
        "body": """<p>Depuis la signature de la charte du Liptako-Gourma, le 16 septembre 2023, l’actualité du Sahel central charrie son lot de sigles et de noms propres. Voici les principaux, par ordre alphabétique.</p>
<h2>Accord d’Alger</h2>
<p>Conclu en 2015 entre l’État malien et des groupes armés à dominante touarègue, sous médiation algérienne, cet accord devait mettre fin au conflit dans le nord du Mali. Il est aujourd’hui largement jugé inopérant, les hostilités ayant repris.</p>
<h2>AES</h2>
<p>L’Alliance des États du Sahel réunit le Mali, le Burkina Faso et le Niger, tous trois dirigés par des militaires arrivés au pouvoir par un coup d’État. Son texte fondateur engage chaque membre à porter assistance aux autres, y compris militairement, en cas d’attaque, et fait de la lutte contre le terrorisme sa première priorité.</p>
<h2>CEDEAO</h2>
<p>La Communauté économique des États de l’Afrique de l’Ouest (ECOWAS en anglais) est la principale organisation régionale ouest-africaine. Après le putsch de juillet 2023 au Niger, elle a menacé d’y intervenir par la force pour rétablir l’ordre constitutionnel, ce que le Mali et le Burkina Faso ont qualifié par avance de « déclaration de guerre ».</p>
<h2>G5 Sahel</h2>
<p>Ce groupement rassemblait le Mali, le Burkina Faso, le Niger, le Tchad et la Mauritanie. Sa force conjointe, lancée en 2017 avec l’appui de la France contre les groupes islamistes armés, a été très affaiblie par le départ du Mali après le coup d’État de 2020.</p>
<h2>GSIM, ou JNIM</h2>
<p>Le Groupe de soutien à l’islam et aux musulmans, également désigné par l’acronyme de son nom arabe, JNIM, est l’une des principales organisations djihadistes qui menacent le Mali et ses voisins. Il est généralement présenté comme la branche sahélienne d’Al-Qaïda.</p>
<h2>Liptako-Gourma</h2>
<p>C’est la région dite des « trois frontières », où se rejoignent les territoires du Mali, du Burkina Faso et du Niger. Durement touchée par l’activité djihadiste ces dernières années, elle a donné son nom à la charte fondatrice de l’AES.</p>""",
        "authors": ["claire-mensah"],
        "published_at": "2023-09-22T09:00:00+00:00",
        "topics": [
            "Alliance of Sahel States",
            "ECOWAS",
            "G5 Sahel",
            "JNIM/GSIM",
            "Liptako-Gourma",
            "2015 Algiers peace agreement",
        ],
        "related": [
            "liptako-gourma-la-zone-des-trois-frontieres-au-coeur-de-l-aes",
            "comprendre-le-putsch-au-niger-la-cedeao-et-la-naissance-de-l-aes",
        ],
        "sources": ["charter-guide", "caspian-times"],
        "image": {
            "alt": "Illustration de trois panneaux rectangulaires à bandes, bleu pétrole, jaune et orange, avec la mention « LEXIQUE »",
            "caption": "De l’AES à la CEDEAO, les sigles qui reviennent dans l’actualité du Sahel central.",
            "credit": CREDIT,
            "motif": "flags",
            "palette": ["#264653", "#e9c46a", "#e76f51"],
            "label": "LEXIQUE",
        },
    },
    {
        "slug": "paris-et-les-juntes-du-sahel-chronologie-d-une-rupture",
        "headline": "Paris et les juntes du Sahel : chronologie d’une rupture",
        "dek": "Du soutien au G5 Sahel au bras de fer avec Niamey, les relations entre la France et le Mali, le Burkina Faso et le Niger n’ont cessé de se dégrader.",
        "body": """<p>Au moment où le Mali, le Burkina Faso et le Niger scellent leur alliance, leurs relations avec la France, l’ancienne puissance coloniale, sont au plus bas. Retour sur les principales étapes.</p>
<h2>2017 : Paris appuie la force conjointe du G5 Sahel</h2>
<p>Les trois pays lancent, avec le Tchad et la Mauritanie, une force militaire commune contre les groupes islamistes armés de la région. La France soutient le dispositif.</p>
<h2>2020 : le coup d’État au Mali</h2>
<p>L’armée prend le pouvoir à Bamako. Le Mali quitte ensuite le G5 Sahel, et le président nigérien de l’époque, Mohamed Bazoum, juge publiquement que la force conjointe a vécu.</p>
<h2>Les soldats français poussés vers la sortie</h2>
<p>Après les putschs, les relations avec Paris se détériorent dans les trois capitales. La France est contrainte de retirer ses troupes du Mali et du Burkina Faso.</p>
<h2>Juillet 2023 : le bras de fer avec Niamey</h2>
<p>Au Niger, les militaires renversent Mohamed Bazoum, puis exigent le départ des soldats et de l’ambassadeur de France. Paris refuse de reconnaître l’autorité de la junte, et les deux parties restent dans l’impasse.</p>
<h2>Septembre 2023 : une alliance sans Paris</h2>
<p>Le 16 septembre, les trois États signent la charte du Liptako-Gourma. Contrairement au G5 Sahel, l’Alliance des États du Sahel ne compte ni le Tchad ni la Mauritanie et ne bénéficie d’aucun appui français. Elle repose sur une promesse de défense mutuelle face aux rébellions armées comme aux agressions extérieures.</p>
<p>Sur le terrain, les insurrections qui avaient justifié l’engagement français n’ont pas disparu : des groupes liés à Al-Qaïda ou à l’État islamique restent actifs, et les violences ont fait des milliers de morts et des millions de déplacés dans la région.</p>""",
        "authors": ["aminata-diallo"],
        "published_at": "2023-09-29T10:00:00+00:00",
        "topics": [
            "France",
            "Mali",
            "Burkina Faso",
            "Niger",
            "G5 Sahel",
            "Military coups",
        ],
        "related": [
            "comprendre-le-putsch-au-niger-la-cedeao-et-la-naissance-de-l-aes",
            "aes-cedeao-g5-sahel-gsim-le-lexique-pour-s-y-retrouver",
        ],
        "sources": ["caspian-times"],
        "image": {
            "alt": "Illustration abstraite d’anneaux concentriques et de triangles bleu nuit, rouges et crème, avec la mention « PARIS ET LE SAHEL »",
            "caption": "Les relations entre la France et les trois gouvernements militaires se sont dégradées depuis les coups d’État.",
            "credit": CREDIT,
            "motif": "abstract",
            "palette": ["#14213d", "#d62828", "#eae2b7"],
            "label": "PARIS ET LE SAHEL",
        },
    },
    {
        "slug": "liptako-gourma-la-zone-des-trois-frontieres-au-coeur-de-l-aes",
        "headline": "Liptako-Gourma : la zone des trois frontières au cœur de la nouvelle alliance",
        "dek": "La charte fondatrice de l’AES porte le nom de cette région frontalière, l’une des plus touchées par les violences djihadistes.",
        "body": """<p>En baptisant leur pacte « charte du Liptako-Gourma », les dirigeants du Mali, du Burkina Faso et du Niger ont choisi de mettre en avant un territoire plutôt qu’une capitale.</p>
<p>Le Liptako-Gourma désigne l’espace où se rejoignent les frontières des trois pays. Ces dernières années, l’activité des groupes djihadistes y a causé de graves difficultés, au point d’en faire l’un des principaux sujets d’inquiétude sécuritaire pour les trois gouvernements.</p>
<h2>Une menace partagée</h2>
<p>Des groupes armés affiliés à Al-Qaïda ou à l’État islamique opèrent dans les trois pays, parmi lesquels le Groupe de soutien à l’islam et aux musulmans (GSIM, ou JNIM). Au Mali, l’armée doit en outre faire face à la reprise des hostilités avec des groupes armés majoritairement touaregs, ce qui met à rude épreuve des forces déjà très sollicitées et fragilise le discours de la junte sur l’amélioration de la sécurité.</p>
<h2>Une priorité affichée</h2>
<p>La charte fait de la lutte commune contre le terrorisme sur le territoire des trois États sa première priorité. Elle prévoit aussi que les signataires se prêtent assistance, y compris militaire, si l’un d’eux est attaqué.</p>
<p>Reste à savoir comment cette solidarité se traduira sur le terrain : la coordination des trois armées, l’organisation et le financement de l’alliance restent à préciser. C’est dans cette zone frontalière que l’AES sera d’abord jugée.</p>""",
        "authors": ["idrissa-ouedraogo"],
        "published_at": "2023-10-13T08:30:00+00:00",
        "topics": [
            "Liptako-Gourma",
            "Alliance of Sahel States",
            "Jihadist groups",
            "Terrorism",
            "Security",
        ],
        "related": [
            "charte-de-l-aes-la-clause-de-defense-mutuelle",
            "aes-cedeao-g5-sahel-gsim-le-lexique-pour-s-y-retrouver",
        ],
        "sources": ["charter-guide"],
        "image": {
            "alt": "Illustration façon carte de trois territoires qui se rejoignent en un point marqué, reliés par des itinéraires en pointillés, avec la mention « LIPTAKO-GOURMA »",
            "caption": "La région où se rejoignent les frontières du Mali, du Burkina Faso et du Niger a donné son nom à la charte de l’AES.",
            "credit": CREDIT,
            "motif": "map",
            "palette": ["#6b3e26", "#e0a458", "#3d7068"],
            "label": "LIPTAKO-GOURMA",
        },
    },
]

for _story in STORIES:
    for _field in ("headline", "dek", "body"):
        _story[_field] = typeset(_story[_field])
    for _field in ("alt", "caption", "credit"):
        _story["image"][_field] = typeset(_story["image"][_field])
SOURCES = {key: typeset(text) for key, text in SOURCES.items()}
