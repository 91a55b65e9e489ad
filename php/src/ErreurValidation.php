<?php
declare(strict_types=1);

namespace Mpe;

/** 2xx : règles de la consultation. */
class ErreurValidation extends ErreurMpe
{
}
