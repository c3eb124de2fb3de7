"""Medicine and the human body: hand-written questions and facts for the bundled ELI5 sample."""

TOPICS = [
    {
        "questions": [
            "How do antibiotics work?",
            "Why is antibiotic resistance such a big problem?",
            "Why should you finish a course of antibiotics?",
        ],
        "facts": [
            "Antibiotics kill bacteria or stop them from multiplying by attacking structures such as the cell wall or the bacterial ribosome.",
            "Penicillin, discovered by Alexander Fleming in 1928, blocks bacteria from building their cell walls.",
            "Whenever antibiotics are used, any bacteria that happen to resist them survive and multiply.",
            "Resistance genes can also jump between different species of bacteria.",
            "Overuse in medicine and farming has produced bacteria that resist many drugs, making some infections hard to treat.",
            "Doctors now often recommend the shortest course that reliably clears an infection, so follow your doctor's instructions rather than stopping or continuing on your own.",
        ],
    },
    {
        "questions": [
            "What is cancer?",
            "Why is cancer so hard to cure?",
            "How does chemotherapy work?",
        ],
        "facts": [
            "Cancer is a group of diseases in which cells grow and divide out of control because of changes in their DNA.",
            "Normally cells have many checks that stop them dividing or make damaged cells self-destruct, and cancer cells have broken several of those checks.",
            "Cancer is hard to cure because cancer cells are our own cells, so drugs that kill them tend to harm healthy cells too.",
            "Tumors are also diverse, and a few resistant cells can survive treatment and regrow.",
            "Chemotherapy mainly targets rapidly dividing cells, which is why it can cause hair loss and affect the gut lining.",
            "Newer treatments include drugs aimed at specific mutations and immunotherapies that help the immune system recognize cancer cells.",
        ],
    },
    {
        "questions": [
            "How do painkillers like ibuprofen work?",
            "What is the difference between ibuprofen and paracetamol?",
            "How do anesthetics put you to sleep?",
        ],
        "facts": [
            "Ibuprofen and aspirin block enzymes called COX that make prostaglandins, chemical signals involved in pain, fever and inflammation.",
            "Paracetamol, called acetaminophen in the United States, reduces pain and fever but has little effect on inflammation, and exactly how it works is still debated.",
            "Taking more paracetamol than the recommended dose can seriously damage the liver.",
            "Local anesthetics such as lidocaine block sodium channels in nerves, so pain signals cannot travel to the brain.",
            "General anesthetics act on receptors throughout the brain and disrupt communication between brain regions, producing unconsciousness.",
            "Anesthesiologists constantly monitor breathing, heart rate and blood pressure during surgery.",
        ],
    },
    {
        "questions": [
            "Why do we get fevers when we're sick?",
            "Is it bad to bring down a fever?",
            "What temperature counts as a fever?",
        ],
        "facts": [
            "A fever is the body deliberately raising its temperature set point in response to infection.",
            "Immune signals act on the hypothalamus, the brain's thermostat, which makes you shiver and feel cold until your temperature rises.",
            "A higher temperature can slow the growth of some germs and speed up parts of the immune response.",
            "In adults, a temperature above about 38 degrees Celsius is usually considered a fever.",
            "Bringing down a moderate fever for comfort is generally fine, but a very high fever or one with a stiff neck, confusion or difficulty breathing needs medical attention.",
        ],
    },
    {
        "questions": [
            "What is an allergy?",
            "Why are allergies becoming more common?",
            "What happens during anaphylaxis?",
        ],
        "facts": [
            "An allergy is the immune system overreacting to something harmless, such as pollen, peanuts or cat dander.",
            "The body makes IgE antibodies against the substance, and these sit on mast cells ready to trigger a response.",
            "On the next exposure, mast cells release histamine, which causes sneezing, itching, swelling and a runny nose.",
            "Anaphylaxis is a severe, whole-body reaction in which blood pressure can drop and the airways can swell, and it is treated immediately with adrenaline.",
            "One leading idea is that less early contact with microbes and diverse foods leaves the immune system more prone to allergies.",
            "Introducing peanut to babies early, under medical guidance, has been shown to greatly reduce the risk of peanut allergy.",
        ],
    },
    {
        "questions": [
            "What is diabetes?",
            "What does insulin do?",
            "What is the difference between type 1 and type 2 diabetes?",
        ],
        "facts": [
            "Insulin is a hormone made by the pancreas that lets cells take up sugar from the blood.",
            "Diabetes is a condition in which blood sugar stays too high, either because the body makes too little insulin or because cells respond poorly to it.",
            "In type 1 diabetes the immune system destroys the insulin-making cells, so people need insulin injections.",
            "Type 2 diabetes is much more common and involves insulin resistance, and it is linked to weight, activity and genetics.",
            "Over years, high blood sugar can damage blood vessels, nerves, kidneys and eyes.",
            "Insulin was first used to treat a patient in 1922, turning type 1 diabetes from a death sentence into a manageable condition.",
        ],
    },
    {
        "questions": [
            "Why do we get muscle cramps?",
            "Why do muscles get sore a day or two after exercise?",
            "How do muscles grow stronger?",
        ],
        "facts": [
            "Muscle soreness that peaks a day or two after exercise is called delayed onset muscle soreness.",
            "It comes from tiny injuries to muscle fibers and the inflammation that follows, not from lactic acid, which is cleared within an hour or so.",
            "As the fibers repair, they add more contractile proteins and become thicker and stronger.",
            "Strength gains in the first weeks of training come largely from the nervous system learning to activate more muscle fibers at once.",
            "Cramps are sudden involuntary contractions, often linked to muscle fatigue, and their exact causes are still debated.",
        ],
    },
    {
        "questions": [
            "How do our eyes see color?",
            "What is color blindness?",
            "Why do we have a blind spot?",
        ],
        "facts": [
            "The retina has two kinds of light-sensitive cells: rods, which work in dim light, and cones, which detect color.",
            "Most people have three types of cones, most sensitive to short, medium and long wavelengths, roughly blue, green and red.",
            "The brain compares signals from the three cone types to work out the color of what we see.",
            "Color blindness usually means one type of cone is missing or works differently, most often making red and green hard to tell apart.",
            "It is far more common in men because the genes for the red and green cones sit on the X chromosome.",
            "The blind spot is where the optic nerve leaves the eye and there are no light-sensitive cells, and the brain fills in the gap so we do not notice it.",
        ],
    },
    {
        "questions": [
            "How does hearing work?",
            "Why does my voice sound different on a recording?",
            "Why do loud concerts leave your ears ringing?",
        ],
        "facts": [
            "Sound waves make the eardrum vibrate, and three tiny bones in the middle ear pass the vibrations to the fluid-filled cochlea.",
            "Inside the cochlea, thousands of hair cells respond to different pitches and turn the vibrations into nerve signals.",
            "When you speak, you hear your voice both through the air and through the bones of your skull, which adds deeper tones.",
            "A recording captures only the sound traveling through the air, so it sounds higher and thinner than what you are used to.",
            "Very loud noise can damage or destroy hair cells, and in humans they do not grow back.",
            "Ringing in the ears after a loud concert, called tinnitus, is a sign of that stress, and repeated exposure can cause permanent hearing loss.",
        ],
    },
    {
        "questions": [
            "How does the stomach not digest itself?",
            "How long does it take to digest food?",
            "What does the small intestine do?",
        ],
        "facts": [
            "The stomach lining is protected by a thick layer of mucus and bicarbonate that neutralizes acid right next to the cells.",
            "The cells of the stomach lining are also replaced every few days.",
            "Most digestion and nutrient absorption happens in the small intestine, which is about six meters long.",
            "Its inner surface is covered in tiny finger-like villi that give it an enormous surface area for absorbing nutrients.",
            "Food typically takes a few hours to pass through the stomach and small intestine, and a day or more to pass through the whole digestive tract.",
            "The large intestine absorbs water and houses most of the gut bacteria.",
        ],
    },
    {
        "questions": [
            "How do the lungs get oxygen into the blood?",
            "Why do we yawn?",
            "What happens when you hold your breath?",
        ],
        "facts": [
            "The lungs contain about 300 to 500 million tiny air sacs called alveoli, wrapped in a mesh of capillaries.",
            "Oxygen diffuses across the very thin walls of the alveoli into the blood, and carbon dioxide diffuses the other way.",
            "The urge to breathe is driven mainly by rising carbon dioxide in the blood, not by falling oxygen.",
            "When you hold your breath, carbon dioxide builds up until the urge to breathe becomes overwhelming.",
            "Why we yawn is still not fully understood, and one idea is that it helps cool the brain.",
            "Yawning is contagious in humans and some other animals, possibly linked to social bonding.",
        ],
    },
    {
        "questions": [
            "How does the liver detoxify the body?",
            "Can the liver really regrow itself?",
        ],
        "facts": [
            "The liver processes nearly everything absorbed from the gut before it reaches the rest of the body.",
            "Liver enzymes chemically modify drugs, alcohol and other substances so they can be excreted in urine or bile.",
            "The liver also stores sugar as glycogen, makes many blood proteins and produces bile to help digest fats.",
            "The liver can regenerate remarkably well: after part of it is removed, the rest grows back to nearly its original size within weeks.",
            "That ability is what makes living donor liver transplants possible.",
            "Long-term heavy drinking can scar the liver, a condition called cirrhosis, and scarred tissue does not regrow normally.",
        ],
    },
    {
        "questions": [
            "How do bones heal after a fracture?",
            "Why do astronauts lose bone in space?",
            "What is osteoporosis?",
        ],
        "facts": [
            "Bone is living tissue that is constantly broken down by cells called osteoclasts and rebuilt by cells called osteoblasts.",
            "After a fracture, a blood clot forms, then a soft callus of cartilage, which is gradually replaced by hard bone over weeks.",
            "A cast keeps the pieces aligned so they knit together in the right position.",
            "Bones strengthen in response to load, so in weightlessness astronauts can lose around one percent of their bone mass per month in some parts of the skeleton.",
            "Astronauts exercise for about two hours a day on the space station to limit that loss.",
            "Osteoporosis is a condition in which bones become thin and fragile, most common in older women after menopause.",
        ],
    },
    {
        "questions": [
            "How does the body regulate temperature?",
            "Why do we sweat?",
            "What is heat stroke?",
        ],
        "facts": [
            "The hypothalamus in the brain keeps core body temperature close to 37 degrees Celsius.",
            "When you get too hot, blood vessels in the skin widen to release heat, and sweat glands start working.",
            "Sweat cools you as it evaporates, because evaporation carries heat away from the skin.",
            "In very humid air, sweat evaporates slowly, so it cools you much less effectively.",
            "Heat stroke happens when the body's cooling fails and core temperature rises above about 40 degrees Celsius, which is a medical emergency.",
            "When you are cold, vessels in the skin narrow and shivering generates heat from muscle activity.",
        ],
    },
    {
        "questions": [
            "What are stem cells?",
            "Why are stem cells useful in medicine?",
        ],
        "facts": [
            "Stem cells are cells that can both copy themselves and turn into more specialized cell types.",
            "Embryonic stem cells can become almost any cell type in the body.",
            "Adult stem cells, such as those in bone marrow, usually make a narrower range of cells, for example all the different blood cells.",
            "Bone marrow transplants, which replace a patient's blood-forming stem cells, have been used for decades to treat leukemia.",
            "In 2006 researchers discovered how to reprogram ordinary skin cells into induced pluripotent stem cells, which behave much like embryonic ones.",
            "Researchers hope to use stem cells to repair damaged hearts, spinal cords and retinas.",
        ],
    },
]
