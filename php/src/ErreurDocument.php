<?php
declare(strict_types=1);

namespace Mpe;

/** 6xx : modèles DOCX et formulaires. */
class ErreurDocument extends ErreurMpe
{
}
