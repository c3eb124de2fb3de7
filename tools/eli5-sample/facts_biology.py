"""Biology: hand-written questions and facts for the bundled ELI5 sample."""

TOPICS = [
    {
        "questions": [
            "What is DNA and how does it store information?",
            "How can DNA fit inside a tiny cell?",
            "How much DNA do humans share with other animals?",
        ],
        "facts": [
            "DNA is a long molecule shaped like a twisted ladder, the famous double helix.",
            "Its rungs are made of four chemical letters, A, T, C and G, and the order of those letters spells out genetic instructions.",
            "A stretch of DNA that codes for a protein is called a gene, and humans have roughly 20,000 protein-coding genes.",
            "Each human cell holds about two meters of DNA, wound tightly around proteins called histones and packed into chromosomes.",
            "Humans share about 98.8 percent of their DNA with chimpanzees and a surprising amount with mice, flies and even bananas, because all life shares common ancestors.",
            "Any two people are about 99.9 percent identical in their DNA sequence.",
        ],
    },
    {
        "questions": [
            "How does a cell make a protein from DNA?",
            "What does RNA do?",
            "What is the genetic code?",
        ],
        "facts": [
            "A gene is first copied from DNA into a messenger RNA molecule, a step called transcription.",
            "The messenger RNA travels to a ribosome, the cell's protein factory.",
            "The ribosome reads the RNA three letters at a time, and each three-letter codon stands for one amino acid.",
            "Transfer RNA molecules bring the matching amino acids, and the ribosome links them into a chain that folds into a protein.",
            "The genetic code is almost the same in every living thing, from bacteria to humans, which is strong evidence for common descent.",
            "mRNA vaccines work by giving cells a temporary message that tells them to build one harmless viral protein.",
        ],
    },
    {
        "questions": [
            "How does evolution work?",
            "If humans evolved from monkeys, why are there still monkeys?",
            "What is natural selection?",
            "How long does it take for a new species to form?",
        ],
        "facts": [
            "Evolution is the change in the inherited traits of populations over many generations.",
            "Individuals vary, some of that variation is inherited, and individuals with traits that help them survive and reproduce leave more offspring.",
            "Over time those helpful traits become more common, which is what Darwin called natural selection.",
            "Humans did not evolve from modern monkeys; humans and monkeys share common ancestors that lived millions of years ago.",
            "Our closest living relatives are chimpanzees and bonobos, and our lineages split roughly six to seven million years ago.",
            "New species usually form when populations are separated long enough that they can no longer interbreed, which often takes thousands to millions of years.",
            "Evolution can be fast in organisms with short generations, such as bacteria evolving resistance to antibiotics within years.",
        ],
    },
    {
        "questions": [
            "How does photosynthesis work?",
            "Why are plants green?",
            "Where does the mass of a tree come from?",
        ],
        "facts": [
            "In photosynthesis, plants use light energy to turn carbon dioxide and water into sugar, releasing oxygen as a by-product.",
            "The green pigment chlorophyll absorbs mostly red and blue light and reflects green light, which is why leaves look green.",
            "Surprisingly, most of the mass of a tree comes from carbon dioxide in the air, not from the soil.",
            "The carbon atoms pulled from the air become the cellulose and lignin that make up wood.",
            "Photosynthesis in plants, algae and cyanobacteria produces almost all of the oxygen in the atmosphere.",
            "The process happens in chloroplasts, which are thought to descend from cyanobacteria that were engulfed by early cells.",
        ],
    },
    {
        "questions": [
            "What do mitochondria do?",
            "Is it true that mitochondria used to be bacteria?",
            "Why is mitochondrial DNA inherited only from the mother?",
        ],
        "facts": [
            "Mitochondria are the structures in our cells that turn food and oxygen into ATP, the molecule cells use as an energy currency.",
            "They have their own small circle of DNA, separate from the DNA in the nucleus.",
            "Mitochondria are descended from free-living bacteria that were taken in by another cell about two billion years ago, an idea called endosymbiosis.",
            "Like bacteria, they divide by splitting in two and have their own ribosomes.",
            "A baby inherits its mitochondria from the egg cell, so mitochondrial DNA passes down the mother's line.",
            "Researchers use mitochondrial DNA to trace human migrations deep into the past.",
        ],
    },
    {
        "questions": [
            "Why do we need to sleep?",
            "What happens in the brain when we dream?",
            "What happens if you don't sleep for days?",
        ],
        "facts": [
            "Sleep is essential for memory: during sleep the brain replays and strengthens what you learned during the day.",
            "During deep sleep, fluid flows more freely through the brain and helps clear out waste products.",
            "Most vivid dreams happen during REM sleep, when the brain is very active but the muscles are temporarily paralyzed.",
            "Sleep is organized in cycles of about 90 minutes that alternate between lighter, deeper and REM stages.",
            "After a night without sleep, attention and reaction time suffer about as much as after a few drinks.",
            "Going several days without sleep leads to confusion and hallucinations, and long-term poor sleep raises the risk of heart disease and diabetes.",
        ],
    },
    {
        "questions": [
            "How does the immune system know what to attack?",
            "What are antibodies?",
            "Why do we only get chickenpox once?",
        ],
        "facts": [
            "The immune system has two main parts: a fast innate response that attacks anything that looks foreign, and a slower adaptive response that learns specific targets.",
            "Antibodies are Y-shaped proteins made by B cells that lock onto particular molecules on a germ, marking it for destruction.",
            "T cells can recognize and kill body cells that have been infected by a virus.",
            "During development, immune cells that react strongly to the body's own molecules are mostly weeded out, which is how the system learns to tolerate self.",
            "After an infection, long-lived memory cells remain and can respond much faster the next time the same germ appears.",
            "That memory is why people rarely catch chickenpox twice, although the virus can hide in nerves and return later as shingles.",
        ],
    },
    {
        "questions": [
            "What is the difference between bacteria and viruses?",
            "Are viruses alive?",
            "Why don't antibiotics work on viruses?",
        ],
        "facts": [
            "Bacteria are single-celled living organisms that can eat, grow and reproduce on their own.",
            "Viruses are much smaller packages of genetic material in a protein coat, and they can only reproduce by hijacking a living cell.",
            "Whether viruses count as alive is debated, because they evolve but have no metabolism of their own.",
            "Antibiotics target structures that bacteria have and our cells lack, such as bacterial cell walls and ribosomes.",
            "Viruses have none of those structures, so antibiotics do nothing against colds or flu.",
            "Most bacteria are harmless or helpful, and your gut contains trillions of them that help digest food.",
        ],
    },
    {
        "questions": [
            "How do birds navigate during migration?",
            "Why do birds fly in a V formation?",
            "Are birds really dinosaurs?",
        ],
        "facts": [
            "Migrating birds use several cues, including the position of the Sun, the patterns of the stars and landmarks such as coastlines.",
            "Many birds can also sense Earth's magnetic field, possibly through light-sensitive proteins in their eyes.",
            "Flying in a V lets each bird ride the upward swirl of air coming off the wingtips of the bird ahead, saving energy.",
            "The birds take turns at the front, where flying is hardest.",
            "Birds are living dinosaurs: they descend from small feathered theropods, the same group that includes Tyrannosaurus and Velociraptor.",
            "Fossils from China show that many non-avian dinosaurs had feathers.",
        ],
    },
    {
        "questions": [
            "Why did the dinosaurs go extinct?",
            "How do we know an asteroid killed the dinosaurs?",
            "Why did mammals survive the asteroid impact?",
        ],
        "facts": [
            "About 66 million years ago an asteroid roughly ten kilometers wide struck what is now the Yucatan Peninsula in Mexico.",
            "The impact left the Chicxulub crater, which is buried under younger rock but was found through gravity and magnetic surveys.",
            "Rocks from that time around the world contain a thin layer rich in iridium, an element that is rare in Earth's crust but common in asteroids.",
            "Soot and dust blocked sunlight for months or years, photosynthesis collapsed, and food chains fell apart.",
            "About three quarters of all species died out, including all non-avian dinosaurs.",
            "Small animals that burrowed, ate seeds or insects, and needed little food, including many mammals and birds, were more likely to survive.",
        ],
    },
    {
        "questions": [
            "Why do we age?",
            "Why do some animals live much longer than others?",
            "What are telomeres?",
        ],
        "facts": [
            "Aging is the gradual build-up of damage in cells and tissues, from DNA mutations to worn-out proteins.",
            "Telomeres are protective caps at the ends of chromosomes that get shorter each time many types of cell divide.",
            "When telomeres become too short, the cell stops dividing, which limits how often tissues can renew themselves.",
            "Evolution favors traits that help an animal reproduce, and does little to prevent decline late in life, when few wild animals survive anyway.",
            "Large animals and those with few predators, such as whales, tortoises and many birds, tend to live longer.",
            "The Greenland shark may live for around 400 years, making it one of the longest-lived vertebrates known.",
        ],
    },
    {
        "questions": [
            "How do neurons send signals?",
            "How fast do nerve signals travel?",
            "How does the brain store memories?",
        ],
        "facts": [
            "Neurons send signals as electrical pulses called action potentials, made by ions rushing in and out through channels in the cell membrane.",
            "At the end of a neuron, the signal crosses a small gap called a synapse by releasing chemical messengers called neurotransmitters.",
            "Nerve fibers wrapped in a fatty myelin sheath carry signals at up to about 120 meters per second.",
            "The human brain has about 86 billion neurons, connected by perhaps a hundred trillion synapses.",
            "Memories are stored by changing the strength of connections between neurons, so that groups of neurons that fired together fire together more easily later.",
            "The hippocampus is crucial for forming new memories of events, and damage to it can stop new memories from forming.",
        ],
    },
    {
        "questions": [
            "How does the heart pump blood?",
            "Why is blood red but veins look blue?",
            "How long does it take blood to travel around the body?",
        ],
        "facts": [
            "The heart has four chambers: the right side pumps blood to the lungs to pick up oxygen, and the left side pumps it to the rest of the body.",
            "Valves between the chambers keep the blood flowing in one direction, and their closing makes the lub-dub sound of a heartbeat.",
            "Blood is always red because of hemoglobin, an iron-containing protein that carries oxygen; it is bright red with oxygen and darker red without.",
            "Veins look blue through the skin because skin scatters and absorbs red light differently from blue light, not because the blood inside is blue.",
            "A red blood cell can make a complete trip around the body in less than a minute.",
            "An adult heart beats around 100,000 times a day.",
        ],
    },
    {
        "questions": [
            "Why do we have different blood types?",
            "What makes a blood type compatible for transfusion?",
        ],
        "facts": [
            "Blood types are defined by molecules on the surface of red blood cells, mainly the A and B antigens and the Rh factor.",
            "Type A blood has A antigens, type B has B, type AB has both, and type O has neither.",
            "Your immune system makes antibodies against the A or B antigens that your own cells lack.",
            "A transfusion of the wrong type lets those antibodies attack the donated cells, which can be life-threatening.",
            "O negative red cells carry none of these antigens, so they can be given to almost anyone in an emergency.",
        ],
    },
    {
        "questions": [
            "How do vaccines train the immune system?",
            "What is herd immunity?",
            "Why do we need a new flu vaccine every year?",
        ],
        "facts": [
            "A vaccine shows the immune system a harmless piece or version of a germ, so it can build memory cells without the danger of the real disease.",
            "If the real germ shows up later, the immune system recognizes it and responds quickly.",
            "Herd immunity means that when enough people are immune, a germ cannot spread easily, which protects those who cannot be vaccinated.",
            "For very contagious diseases such as measles, about 95 percent of people need to be immune for herd immunity.",
            "Flu viruses change their surface proteins quickly, so last year's vaccine may not match this year's strains.",
            "Vaccines helped eradicate smallpox, which was declared gone from the world in 1980.",
        ],
    },
    {
        "questions": [
            "How do ants communicate with each other?",
            "How do bees make honey?",
            "Why are bees so important for agriculture?",
        ],
        "facts": [
            "Ants communicate mostly with chemicals called pheromones, laying scent trails that lead other ants to food.",
            "The more ants follow a trail and reinforce it, the stronger it gets, so the colony settles on good routes without any leader.",
            "Honeybees collect nectar, add enzymes, and fan it with their wings to evaporate the water until it thickens into honey.",
            "Honey is so low in water and so acidic that bacteria cannot grow in it, which is why it keeps for a very long time.",
            "A returning honeybee uses a waggle dance to tell other bees the direction and distance of flowers.",
            "Bees and other pollinators carry pollen between flowers, and about a third of the food crops we eat depend on animal pollination.",
        ],
    },
    {
        "questions": [
            "How do fish breathe underwater?",
            "Why can't humans breathe water?",
            "How do whales hold their breath so long?",
        ],
        "facts": [
            "Fish breathe with gills, thin folds of tissue packed with blood vessels that take oxygen out of the water flowing over them.",
            "Blood in the gills flows in the opposite direction to the water, which lets fish extract a large share of the dissolved oxygen.",
            "Water holds far less oxygen than air, and our lungs cannot move heavy water in and out fast enough to get what we need.",
            "Whales and seals store large amounts of oxygen in their blood and in a muscle protein called myoglobin.",
            "During a dive they slow their heart and send blood mainly to the brain and heart.",
            "Some beaked whales can stay under for more than two hours.",
        ],
    },
    {
        "questions": [
            "Why do leaves change color in autumn?",
            "Why do some trees keep their leaves all winter?",
        ],
        "facts": [
            "Leaves are green because of chlorophyll, which the tree constantly breaks down and replaces during summer.",
            "In autumn, shorter days and cooler weather make the tree stop producing chlorophyll and pull nutrients back from its leaves.",
            "As the green fades, yellow and orange pigments called carotenoids, which were there all along, become visible.",
            "Red and purple colors come from anthocyanins, which some trees make fresh in autumn, especially after sunny days and cool nights.",
            "Evergreen trees such as pines have tough, waxy needles that lose little water and survive freezing, so they keep them for several years.",
        ],
    },
    {
        "questions": [
            "How do octopuses change color?",
            "Are octopuses really as smart as people say?",
        ],
        "facts": [
            "Octopuses change color using thousands of skin cells called chromatophores, little sacs of pigment that muscles can stretch open or squeeze shut.",
            "Other skin cells reflect light to produce shimmering blues and whites, and the skin can also change texture to mimic rocks or seaweed.",
            "Octopuses have about 500 million neurons, and around two thirds of them are in their arms rather than their central brain.",
            "In experiments they solve puzzles, open jars, and learn by watching other octopuses.",
            "Octopuses and their relatives evolved large brains independently of vertebrates, which makes their intelligence especially interesting to scientists.",
        ],
    },
]
