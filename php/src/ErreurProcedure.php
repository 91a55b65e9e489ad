<?php
declare(strict_types=1);

namespace Mpe;

/** 3xx : cycle de vie, dépôts, ouverture, décisions, journal. */
class ErreurProcedure extends ErreurMpe
{
}
